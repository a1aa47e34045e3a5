import { useState } from 'preact/hooks';
import { useApp } from '../../app-context';
import { ApiError } from '../../api';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { Field } from '../../components/Field';
import { Presence } from '../../components/Presence';
import { Switch } from '../../components/Switch';
import { errorText, issuesByField } from '../../lib/issues';
import { ROLE_LABEL } from '../../lib/roles';
import { PASSWORD_HINT } from '../Setup';
import { NotificationSettings } from './NotificationSettings';

/** My profile: name, password, away, notifications, sign out everywhere. An API-token session has no account. */
export function Profile() {
  const { me } = useApp();
  return (
    <section class="page page-narrow" aria-labelledby="profile-page-title">
      <header class="page-head"><div>
        <h1 id="profile-page-title">My profile</h1>
        <p class="muted">{me.agent ? <>{me.agent.email} · {ROLE_LABEL[me.role]}</> : <>Signed in with an API token ({ROLE_LABEL[me.role]} rights). A token has no profile: sign in with your email and password for one.</>}</p>
      </div></header>
      {me.agent && <><NameForm /><StatusPanel /><PasswordForm /></>}
      <NotificationSettings />
      {me.agent && <SessionsPanel />}
    </section>
  );
}

function NameForm() {
  const { api, me, setMe } = useApp();
  const [name, setName] = useState(me.agent!.name);
  const [error, setError] = useState<string | undefined>();
  const [saved, setSaved] = useState('');
  async function save(e: Event) {
    e.preventDefault();
    setError(undefined); setSaved('');
    try { const r = await api.me.patch({ name: name.trim() }); setMe({ ...me, agent: r.agent }); setSaved('Saved'); }
    catch (err) { setError(issuesByField(err).name ?? errorText(err, 'Could not save your name.')); }
  }
  return (
    <form class="card panel" onSubmit={save} aria-labelledby="me-name-title" noValidate>
      <h2 id="me-name-title">Your name</h2>
      <p class="muted">Visitors see it on your replies; teammates see it in the inbox and the activity trail. Your email is never shown to visitors.</p>
      <div class="input-row">
        <Field id="me-name" label="Name" autoComplete="name" value={name} onInput={(v) => { setName(v); setSaved(''); }} error={error} />
        <button type="submit" class="btn btn-primary form-row-end">Save name</button>
        <span class="save-status save-saved" role="status">{saved}</span>
      </div>
    </form>
  );
}

function StatusPanel() {
  const { api, me, setMe } = useApp();
  const [error, setError] = useState<string | null>(null);
  const away = me.agent!.presence === 'away';
  async function toggle(v: boolean) {
    setError(null);
    try { const r = await api.me.patch({ away: v }); setMe({ ...me, agent: r.agent }); }
    catch (err) { setError(errorText(err, 'Could not change your status.')); }
  }
  return (
    <section class="card panel" aria-labelledby="me-status-title">
      <h2 id="me-status-title">Status</h2>
      <p class="muted">Teammates see you as <Presence presence={me.agent!.presence} />. You are online while a console tab is open, unless you say you are away.</p>
      <Switch id="me-away" label="I am away" checked={away} onChange={toggle} />
      {error && <p class="field-error" role="alert">{error}</p>}
    </section>
  );
}

function PasswordForm() {
  const { api } = useApp();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [saved, setSaved] = useState('');
  async function save(e: Event) {
    e.preventDefault();
    setErrors({}); setSaved('');
    try { await api.me.patch({ password: { current, next } }); setCurrent(''); setNext(''); setSaved('Password changed'); }
    catch (err) {
      const byField = issuesByField(err, (p) => (p[0] === 'password' ? String(p[1] ?? 'next') : String(p[0] ?? '')));
      // a wrong current password is a refusal of the whole request, said under its box
      if (err instanceof ApiError && (err.status === 401 || err.status === 403) && !byField.current) byField.current = 'That is not your current password.';
      setErrors(byField.current || byField.next ? byField : { form: errorText(err, 'Could not change the password.') });
    }
  }
  return (
    <form class="card panel" onSubmit={save} aria-labelledby="me-pw-title" noValidate>
      <h2 id="me-pw-title">Password</h2>
      <Field id="me-pw-current" label="Current password" type="password" autoComplete="current-password" value={current} onInput={setCurrent} error={errors.current} />
      <Field id="me-pw-next" label="New password" type="password" autoComplete="new-password" value={next} onInput={setNext} hint={PASSWORD_HINT} error={errors.next} />
      {errors.form && <p class="field-error" role="alert">{errors.form}</p>}
      <div class="actions"><button type="submit" class="btn btn-primary">Change password</button><span class="save-status save-saved" role="status">{saved}</span></div>
    </form>
  );
}

function SessionsPanel() {
  const { api, signOut } = useApp();
  const [confirm, setConfirm] = useState(false);
  const [error, setError] = useState<string | null>(null);
  async function everywhere() {
    setConfirm(false);
    try { await api.me.logoutEverywhere(); signOut(); } catch (err) { setError(errorText(err, 'Could not sign out everywhere.')); }
  }
  return (
    <section class="card panel" aria-labelledby="me-sessions-title">
      <h2 id="me-sessions-title">Sessions</h2>
      <p class="muted">Signed in on a computer you no longer use? End every session of your account, this one included.</p>
      <div><button type="button" class="btn btn-danger-ghost" onClick={() => setConfirm(true)}>Sign out everywhere</button></div>
      {error && <p class="field-error" role="alert">{error}</p>}
      {confirm && (
        <ConfirmDialog title="Sign out everywhere?" confirmLabel="Sign out everywhere" onCancel={() => setConfirm(false)} onConfirm={everywhere}>
          <p>Every browser signed in to your account, this one included, has to sign in again.</p>
        </ConfirmDialog>
      )}
    </section>
  );
}
