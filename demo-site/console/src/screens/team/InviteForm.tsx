import { useState } from 'preact/hooks';
import { useApp } from '../../app-context';
import type { Role, TeamAgent } from '../../api/schemas';
import { CopyButton } from '../../components/CopyButton';
import { Field } from '../../components/Field';
import { errorText, issuesByField } from '../../lib/issues';
import { grantable, ROLE_LABEL } from '../../lib/roles';

/** Invite by one-time link: there is no mail server, so the link is shown (once) to copy and send. */
export function InviteForm({ onInvited }: { onInvited: (a: TeamAgent) => void }) {
  const { api, me } = useApp();
  const roles = grantable(me.role);
  const [form, setForm] = useState<{ name: string; email: string; role: Role }>({ name: '', email: '', role: 'agent' });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [link, setLink] = useState<{ name: string; url: string; expiresAt: string } | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: Event) {
    e.preventDefault();
    setBusy(true); setErrors({}); setFormError(null);
    try {
      const r = await api.agents.invite({ name: form.name.trim(), email: form.email.trim(), role: form.role });
      setLink({ name: r.agent.name, url: r.invite.url, expiresAt: r.invite.expiresAt });
      setForm({ name: '', email: '', role: form.role });
      onInvited(r.agent);
    } catch (err) {
      const byField = issuesByField(err);
      setErrors(byField);
      if (!['name', 'email', 'role'].some((k) => byField[k])) setFormError(errorText(err, 'Could not create the invite.'));
    } finally {
      setBusy(false);
    }
  }
  const set = (k: 'name' | 'email') => (v: string) => setForm({ ...form, [k]: v });

  return (
    <section class="card panel" aria-labelledby="invite-title">
      <h2 id="invite-title">Invite a teammate</h2>
      <form class="invite-form" onSubmit={submit} noValidate>
        <Field id="invite-new-name" label="Name" value={form.name} onInput={set('name')} error={errors.name} />
        <Field id="invite-new-email" label="Email" type="email" value={form.email} onInput={set('email')} error={errors.email} />
        <div class="form-row">
          <label class="field-label" for="invite-new-role">Role</label>
          <select id="invite-new-role" class="input" value={form.role} onChange={(e) => setForm({ ...form, role: e.currentTarget.value as Role })}>
            {roles.map((r) => <option key={r} value={r}>{ROLE_LABEL[r]}</option>)}
          </select>
        </div>
        <div class="form-row form-row-end"><button type="submit" class="btn btn-primary" disabled={busy}>{busy ? 'Inviting…' : 'Create invite link'}</button></div>
      </form>
      {formError && <p class="field-error" role="alert">{formError}</p>}
      {link && (
        <div class="invite-link" role="status">
          <p><strong>Invite link for {link.name}</strong> — send it to them yourself (chat, email). It works once, until {new Date(link.expiresAt).toLocaleString()}, and is not shown again.</p>
          <div class="input-row">
            <label class="visually-hidden" for="invite-url">Invite link for {link.name}</label>
            <input id="invite-url" class="input mono" readOnly value={link.url} onFocus={(e) => e.currentTarget.select()} />
            <CopyButton text={link.url} label="Copy link" sourceId="invite-url" />
          </div>
        </div>
      )}
    </section>
  );
}
