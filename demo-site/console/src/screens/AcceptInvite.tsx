import { useState } from 'preact/hooks';
import { createHttp, ApiError } from '../api/http';
import { createMeApi, createPublicApi } from '../api/team';
import type { Session } from '../app';
import { AuthCard } from '../components/AuthCard';
import { Field } from '../components/Field';
import { errorText, issuesByField } from '../lib/issues';
import { PASSWORD_HINT } from './Setup';

/** `#/invite?token=…`: the invited teammate chooses a password (and may correct their name), then is signed in. */
export function AcceptInvite({ token, onSignedIn }: { token: string; onSignedIn: (s: Session) => void }) {
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: Event) {
    e.preventDefault();
    setBusy(true); setErrors({}); setFormError(null);
    try {
      const http = createHttp(null);
      await createPublicApi(http).acceptInvite({ token, password, ...(name.trim() ? { name: name.trim() } : {}) });
      onSignedIn({ token: null, me: await createMeApi(http).get() });
    } catch (err) {
      const byField = issuesByField(err);
      setErrors(byField);
      // a spent, expired or unknown invite: only a new link helps
      const dead = byField.token || (err instanceof ApiError && [404, 409, 410].includes(err.status));
      if (!byField.password && !byField.name) setFormError(dead ? 'This invite link was used already, has expired or is not valid. Ask an admin for a new one.' : errorText(err, 'Could not accept the invite.'));
    } finally {
      setBusy(false);
    }
  }

  if (!token) return <AuthCard title="Join the team"><p class="field-error" role="alert">This address has no invite token. Open the whole link your admin sent you.</p></AuthCard>;
  return (
    <AuthCard title="Join the team" intro={<p>Choose a password to activate your account. You sign in with the email your admin invited.</p>}>
      <form class="auth-form" onSubmit={submit} aria-labelledby="auth-title" noValidate>
        <Field id="invite-name" label="Your name (optional)" autoComplete="name" value={name} onInput={setName} hint="Leave empty to keep the name your admin typed." error={errors.name} />
        <Field id="invite-password" label="Password" type="password" autoComplete="new-password" value={password} onInput={setPassword} hint={PASSWORD_HINT} error={errors.password} />
        {formError && <p class="field-error" role="alert">{formError}</p>}
        <button class="btn btn-primary btn-block" type="submit" disabled={busy}>{busy ? 'Joining…' : 'Join the team'}</button>
      </form>
    </AuthCard>
  );
}
