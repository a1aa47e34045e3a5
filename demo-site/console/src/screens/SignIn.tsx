import { useEffect, useState } from 'preact/hooks';
import { createHttp, ApiError } from '../api/http';
import { createMeApi, createPublicApi } from '../api/team';
import type { Session } from '../app';
import { AuthCard } from '../components/AuthCard';
import { Field } from '../components/Field';
import { errorText } from '../lib/issues';

/** Email + password (a session cookie), or an API token for scripts and tests (kept in sessionStorage for this tab). */
export function SignIn({ onSignedIn, notice }: { onSignedIn: (s: Session) => void; notice?: string | null }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | null>(notice ?? null);
  const [tokenError, setTokenError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [noOwner, setNoOwner] = useState(false);
  useEffect(() => {
    createPublicApi(createHttp(null)).setupState().then((s) => setNoOwner(s.needed), (err) => console.warn('[chative console] setup state not read', err));
  }, []);

  async function withPassword(e: Event) {
    e.preventDefault();
    if (!email.trim() || !password) return setError('Enter your email and password.');
    setBusy(true); setError(null);
    try {
      const http = createHttp(null);
      await createPublicApi(http).login(email.trim(), password);
      onSignedIn({ token: null, me: await createMeApi(http).get() });
    } catch (err) {
      setError(err instanceof ApiError && err.status === 401 ? 'That email and password do not match an active account.' : errorText(err, 'Could not sign in.'));
    } finally {
      setBusy(false);
    }
  }

  async function withToken(e: Event) {
    e.preventDefault();
    const t = token.trim();
    if (!t) return setTokenError('Paste an API token to sign in.');
    setBusy(true); setTokenError(null);
    try {
      onSignedIn({ token: t, me: await createMeApi(createHttp(t)).get() });
    } catch (err) {
      setTokenError(err instanceof ApiError && err.status === 401
        ? 'That token was not accepted. Copy it again from the server output, DATA_DIR/agent-token or the API tokens screen.'
        : errorText(err, 'Could not sign in.'));
    } finally {
      setBusy(false);
    }
  }

  return (
    <AuthCard title="Sign in to the console">
      {noOwner && <p class="alert alert-info" role="status">This Chative has no owner yet: open the setup link that <code>npm start</code> printed.</p>}
      <form class="auth-form" onSubmit={withPassword} aria-labelledby="auth-title" noValidate>
        <Field id="signin-email" label="Email" type="email" autoComplete="username" value={email} onInput={setEmail} />
        <Field id="signin-password" label="Password" type="password" autoComplete="current-password" value={password} onInput={setPassword} />
        {error && <p id="signin-error" class="field-error" role="alert">{error}</p>}
        <button class="btn btn-primary btn-block" type="submit" disabled={busy}>{busy ? 'Signing in…' : 'Sign in'}</button>
      </form>
      <details class="token-signin">
        <summary>Use an API token instead</summary>
        <form class="auth-form" onSubmit={withToken} aria-label="Sign in with an API token">
          <p class="hint">For scripts and tests: an API token, or the agent token <code>npm start</code> printed (also in <code>DATA_DIR/agent-token</code> or <code>CHATIVE_AGENT_TOKEN</code>). It is kept for this tab only.</p>
          <Field id="token" label="API token or agent token" type="password" autoComplete="off" value={token} onInput={setToken} error={tokenError ?? undefined} />
          <button class="btn btn-block" type="submit" disabled={busy}>Use token</button>
        </form>
      </details>
    </AuthCard>
  );
}
