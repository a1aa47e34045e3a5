import { useState } from 'preact/hooks';
import { createHttp, ApiError } from '../api/http';

/** Asks for the agent token and checks it against the API before keeping it (sessionStorage). */
export function SignIn({ onSignedIn, expired }: { onSignedIn: (token: string) => void; expired?: boolean }) {
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | null>(expired ? 'Your session ended or the token was changed. Sign in again.' : null);
  const [busy, setBusy] = useState(false);

  async function submit(e: Event) {
    e.preventDefault();
    const t = token.trim();
    if (!t) return setError('Paste the agent token to sign in.');
    setBusy(true);
    setError(null);
    try {
      await createHttp(t)('GET', '/v1/contacts?limit=1');
      onSignedIn(t);
    } catch (err) {
      setError(err instanceof ApiError && err.status === 401
        ? 'That token was not accepted. Copy it again from the server output or DATA_DIR/agent-token.'
        : err instanceof ApiError ? err.message : 'Could not sign in.');
    } finally {
      setBusy(false);
    }
  }

  return (
    <main class="signin" id="main">
      <form class="card signin-card" onSubmit={submit} aria-labelledby="signin-title">
        <div class="brand brand-large"><span class="brand-mark" aria-hidden="true">C</span> Chative</div>
        <h1 id="signin-title">Sign in to the console</h1>
        <p class="muted">Use the agent token that <code>npm start</code> printed (also stored in your <code>DATA_DIR</code>, or set with <code>CHATIVE_AGENT_TOKEN</code>).</p>
        <label class="field-label" for="token">Agent token</label>
        <input id="token" class="input" type="password" autoComplete="current-password" value={token}
          onInput={(e) => setToken(e.currentTarget.value)} aria-describedby={error ? 'signin-error' : undefined} aria-invalid={!!error} />
        {error && <p id="signin-error" class="field-error" role="alert">{error}</p>}
        <button class="btn btn-primary btn-block" type="submit" disabled={busy}>{busy ? 'Signing in…' : 'Sign in'}</button>
      </form>
    </main>
  );
}
