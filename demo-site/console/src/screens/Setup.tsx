import { useEffect, useState } from 'preact/hooks';
import { createHttp, ApiError } from '../api/http';
import { createMeApi, createPublicApi } from '../api/team';
import type { Session } from '../app';
import { AuthCard } from '../components/AuthCard';
import { Field } from '../components/Field';
import { Loading } from '../components/States';
import { errorText, issuesByField } from '../lib/issues';

export const PASSWORD_HINT = 'At least 10 characters. A passphrase of a few words is easy to remember and hard to guess.';

/** First run (`#/setup?token=…`, printed by `npm start`): creates the owner account and signs it in. */
export function Setup({ token, onSignedIn }: { token: string; onSignedIn: (s: Session) => void }) {
  const [needed, setNeeded] = useState<boolean | null>(null);
  const [form, setForm] = useState({ name: '', email: '', password: '' });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    createPublicApi(createHttp(null)).setupState().then((s) => setNeeded(s.needed), (err) => { setNeeded(true); setFormError(errorText(err, 'Cannot reach the Chative server.')); });
  }, []);

  async function submit(e: Event) {
    e.preventDefault();
    setBusy(true); setErrors({}); setFormError(null);
    try {
      const http = createHttp(null);
      await createPublicApi(http).setup({ token, name: form.name.trim(), email: form.email.trim(), password: form.password });
      onSignedIn({ token: null, me: await createMeApi(http).get() });
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) return setNeeded(false);
      const byField = issuesByField(err);
      setErrors(byField);
      if (!['name', 'email', 'password'].some((k) => byField[k])) setFormError(byField.token ? 'This setup link is not valid. Copy it again from the server output.' : errorText(err, 'Could not create the owner.'));
    } finally {
      setBusy(false);
    }
  }

  if (needed === null) return <AuthCard title="Set up Chative"><Loading /></AuthCard>;
  if (!needed) {
    return (
      <AuthCard title="Chative is set up">
        <p>The owner account exists already, so this setup link no longer works.</p>
        <a class="btn btn-primary btn-block" href="#/inbox">Go to sign-in</a>
      </AuthCard>
    );
  }
  if (!token) {
    return <AuthCard title="Set up Chative"><p class="field-error" role="alert">This address has no setup token. Open the whole link that <code>npm start</code> printed.</p></AuthCard>;
  }
  const set = (k: keyof typeof form) => (v: string) => setForm({ ...form, [k]: v });
  return (
    <AuthCard title="Set up Chative" intro={<p>Create the owner account. You can invite your team next.</p>}>
      <form class="auth-form" onSubmit={submit} aria-labelledby="auth-title" noValidate>
        <Field id="setup-name" label="Your name" autoComplete="name" value={form.name} onInput={set('name')} error={errors.name} />
        <Field id="setup-email" label="Email" type="email" autoComplete="username" value={form.email} onInput={set('email')} error={errors.email} />
        <Field id="setup-password" label="Password" type="password" autoComplete="new-password" value={form.password} onInput={set('password')} hint={PASSWORD_HINT} error={errors.password} />
        {formError && <p class="field-error" role="alert">{formError}</p>}
        <button class="btn btn-primary btn-block" type="submit" disabled={busy}>{busy ? 'Creating…' : 'Create owner account'}</button>
      </form>
    </AuthCard>
  );
}
