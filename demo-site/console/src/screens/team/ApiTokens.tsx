import { useEffect, useState } from 'preact/hooks';
import type { z } from 'zod';
import { useApp } from '../../app-context';
import type { Role } from '../../api/schemas';
import type { apiTokenSchema } from '../../../../../widget/src/contract/zod/team';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { CopyButton } from '../../components/CopyButton';
import { Field } from '../../components/Field';
import { EmptyState, ErrorState, Loading } from '../../components/States';
import { relativeTime } from '../../lib/format';
import { errorText, issuesByField } from '../../lib/issues';
import { grantable, ROLE_LABEL } from '../../lib/roles';

type ApiToken = z.infer<typeof apiTokenSchema>;

/** API tokens for integrations: create (the secret is shown this once, with Copy) and revoke at once. */
export function ApiTokens() {
  const { api, me } = useApp();
  const [tokens, setTokens] = useState<ApiToken[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('agent');
  const [formErrors, setFormErrors] = useState<Record<string, string>>({});
  const [created, setCreated] = useState<{ name: string; token: string } | null>(null);
  const [confirm, setConfirm] = useState<ApiToken | null>(null);
  const [notice, setNotice] = useState('');

  const load = () => { setError(null); api.apiTokens.list().then((r) => setTokens(r.items), setError); };
  useEffect(load, [api]);

  async function create(e: Event) {
    e.preventDefault();
    setFormErrors({}); setCreated(null);
    try {
      const t = await api.apiTokens.create({ name: name.trim(), role });
      setCreated({ name: t.name, token: t.token }); setName(''); load();
    } catch (err) {
      const byField = issuesByField(err);
      setFormErrors(byField.name || byField.role ? byField : { form: errorText(err, 'Could not create the token.') });
    }
  }
  async function revoke(t: ApiToken) {
    setConfirm(null);
    try { await api.apiTokens.revoke(t.id); setNotice(`Token ${t.name} revoked.`); load(); } catch (err) { setError(err); }
  }

  return (
    <section class="page" aria-labelledby="tokens-title">
      <header class="page-head"><div>
        <p class="eyebrow">Team</p>
        <h1 id="tokens-title">API tokens</h1>
        <p class="muted">For integrations and scripts: <code>Authorization: Bearer &lt;token&gt;</code> acts with the token’s role. Revoking stops it at once.</p>
      </div></header>
      <section class="card panel" aria-labelledby="new-token-title">
        <h2 id="new-token-title">Create a token</h2>
        <form class="invite-form" onSubmit={create} noValidate>
          <Field id="token-name" label="Name" placeholder="e.g. CRM sync" value={name} onInput={setName} error={formErrors.name} />
          <div class="form-row">
            <label class="field-label" for="token-role">Role</label>
            <select id="token-role" class="input" value={role} onChange={(e) => setRole(e.currentTarget.value as Role)}>
              {grantable(me.role).map((r) => <option key={r} value={r}>{ROLE_LABEL[r]}</option>)}
            </select>
          </div>
          <div class="form-row form-row-end"><button type="submit" class="btn btn-primary">Create token</button></div>
        </form>
        {formErrors.form && <p class="field-error" role="alert">{formErrors.form}</p>}
        {created && (
          <div class="invite-link" role="status">
            <p><strong>Token “{created.name}” created.</strong> Copy it now: it is stored only as a hash and cannot be shown again.</p>
            <div class="input-row">
              <label class="visually-hidden" for="new-token-value">New API token {created.name}</label>
              <input id="new-token-value" class="input mono" readOnly value={created.token} onFocus={(e) => e.currentTarget.select()} />
              <CopyButton text={created.token} label="Copy token" sourceId="new-token-value" />
            </div>
          </div>
        )}
      </section>
      <p class="visually-hidden" role="status">{notice}</p>
      {error ? <ErrorState error={error} onRetry={load} /> : null}
      <div class="card table-card">
        {!tokens ? <Loading /> : tokens.length === 0 ? <EmptyState title="No API tokens yet">Create one above for each integration, so each can be revoked on its own.</EmptyState> : (
          <div class="table-scroll" tabIndex={0} role="region" aria-label="API tokens, scrolls sideways on a narrow screen"><table class="table" aria-label="API tokens">
            <thead><tr><th scope="col">Name</th><th scope="col">Role</th><th scope="col">Created</th><th scope="col">Last used</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
            <tbody>
              {tokens.map((t) => (
                <tr key={t.id}>
                  <td class="strong">{t.name}</td>
                  <td><span class="pill">{ROLE_LABEL[t.role]}</span></td>
                  <td>{relativeTime(t.createdAt)}</td>
                  <td>{relativeTime(t.lastUsedAt)}</td>
                  <td class="cell-actions"><button type="button" class="btn btn-small btn-danger-ghost" onClick={() => setConfirm(t)}>Revoke<span class="visually-hidden"> {t.name}</span></button></td>
                </tr>
              ))}
            </tbody>
          </table></div>
        )}
      </div>
      {confirm && (
        <ConfirmDialog title={`Revoke “${confirm.name}”?`} confirmLabel="Revoke token" onCancel={() => setConfirm(null)} onConfirm={() => revoke(confirm)}>
          <p>Every request with this token is refused from now on. Integrations using it stop working.</p>
        </ConfirmDialog>
      )}
    </section>
  );
}
