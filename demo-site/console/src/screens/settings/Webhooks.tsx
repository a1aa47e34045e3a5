import { useEffect, useState } from 'preact/hooks';
import { useApp } from '../../app-context';
import { WEBHOOK_EVENTS, type Delivery, type Webhook } from '../../../../../widget/src/contract/zod/webhooks';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { CopyButton } from '../../components/CopyButton';
import { EmptyState, ErrorState, Loading } from '../../components/States';
import { errorText } from '../../lib/issues';

/** Settings → Automation → Webhooks: endpoints, their secret (copy, rotate), the delivery log with redeliver. */
export function Webhooks() {
  const { api } = useApp();
  const [hooks, setHooks] = useState<Webhook[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [url, setUrl] = useState('');
  const [events, setEvents] = useState<string[]>(['contact.created', 'contact.updated']);
  const [formError, setFormError] = useState('');
  const [log, setLog] = useState<{ id: string; items: Delivery[] } | null>(null);
  const [confirm, setConfirm] = useState<Webhook | null>(null);
  const [notice, setNotice] = useState('');

  const load = () => { setError(null); api.webhooks.list().then((r) => setHooks(r.items), setError); };
  useEffect(load, [api]);
  const openLog = async (id: string) => { try { setLog({ id, items: (await api.webhooks.deliveries(id)).items }); } catch (err) { setError(err); } };
  const act = async (fn: () => Promise<unknown>, done: string) => { try { await fn(); setNotice(done); load(); } catch (err) { setError(err); } };

  async function create(e: Event) {
    e.preventDefault();
    try {
      const w = await api.webhooks.create({ url: url.trim(), events });
      setNotice(`Webhook ${w.url} added.`); setUrl(''); setFormError(''); load();
    } catch (err) { setFormError(errorText(err, 'Could not add the webhook.')); }
  }
  const toggle = (ev: string) => setEvents(events.includes(ev) ? events.filter((x) => x !== ev) : [...events, ev]);

  return (
    <section class="page" aria-labelledby="hooks-title">
      <header class="page-head"><div>
        <p class="eyebrow">Settings · Automation</p>
        <h1 id="hooks-title">Webhooks</h1>
        <p class="muted">Chative POSTs each event to your URL, signed the Standard Webhooks way (headers webhook-id, webhook-timestamp, webhook-signature). Failed deliveries are retried for more than a day.</p>
      </div></header>
      <form class="card panel" aria-labelledby="new-hook-title" onSubmit={create}>
        <h2 id="new-hook-title">Add an endpoint</h2>
        <div class="form-row"><label class="field-label" for="hook-url">Endpoint URL</label>
          <input id="hook-url" class="input" type="url" placeholder="https://example.com/chative-events" value={url} onInput={(e) => { setUrl(e.currentTarget.value); setFormError(''); }}
            aria-invalid={formError ? true : undefined} aria-describedby={formError ? 'hook-url-err' : undefined} /></div>
        <fieldset class="rule-block"><legend>Events</legend>
          <div class="input-row">{WEBHOOK_EVENTS.map((ev) => (
            <label key={ev} class="check"><input type="checkbox" checked={events.includes(ev)} onChange={() => toggle(ev)} /> {ev}</label>
          ))}</div>
        </fieldset>
        {formError && <p id="hook-url-err" class="field-error" role="alert">{formError}</p>}
        <div><button type="submit" class="btn btn-primary">Add webhook</button></div>
      </form>
      <p class="visually-hidden" role="status">{notice}</p>
      {error ? <ErrorState error={error} onRetry={load} /> : null}
      {!hooks ? <Loading /> : hooks.length === 0 ? <div class="card"><EmptyState title="No webhooks yet">Add an endpoint above to receive contact and message events.</EmptyState></div> : hooks.map((w) => (
        <article key={w.id} class="card panel" aria-label={`Webhook ${w.url}`}>
          {w.disabledReason && (
            <div class="alert alert-error" role="alert">
              <span>Disabled: every delivery failed for 24 hours. {w.disabledReason}</span>
              <button type="button" class="btn btn-small" onClick={() => act(() => api.webhooks.update(w.id, { enabled: true }), `Webhook ${w.url} enabled.`)}>Enable again</button>
            </div>
          )}
          <div class="rule-main">
            <button type="button" role="switch" class="switch" aria-checked={w.enabled} aria-label={`Enabled: ${w.url}`}
              onClick={() => act(() => api.webhooks.update(w.id, { enabled: !w.enabled }), `Webhook ${w.url} ${w.enabled ? 'disabled' : 'enabled'}.`)}>
              <span class="switch-track" aria-hidden="true"><span class="switch-thumb" /></span>
            </button>
            <div><p class="strong">{w.url}</p><p class="muted">{w.events.join(', ')}</p></div>
          </div>
          <div class="form-row">
            <span class="field-label" id={`secret-label-${w.id}`}>Signing secret</span>
            <div class="input-row">
              <code id={`secret-${w.id}`} aria-labelledby={`secret-label-${w.id}`} class="secret">{w.secret}</code>
              <CopyButton text={w.secret} label="Copy secret" sourceId={`secret-${w.id}`} />
              <button type="button" class="btn btn-small" onClick={() => act(() => api.webhooks.rotate(w.id), 'Secret rotated: update your receiver.')}>Rotate secret</button>
            </div>
          </div>
          <div class="input-row">
            <button type="button" class="btn btn-small" aria-expanded={log?.id === w.id} onClick={() => (log?.id === w.id ? setLog(null) : openLog(w.id))}>Deliveries</button>
            <button type="button" class="btn btn-small btn-danger-ghost" onClick={() => setConfirm(w)}>Delete webhook</button>
          </div>
          {log?.id === w.id && (log.items.length === 0 ? <p class="muted">No deliveries yet.</p> : (
            <div class="table-scroll"><table class="table table-compact" aria-label={`Deliveries to ${w.url}`}>
              <thead><tr><th scope="col">Event</th><th scope="col">Created</th><th scope="col">Status</th><th scope="col">Attempts</th><th scope="col">Response</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
              <tbody>{log.items.map((d) => (
                <tr key={d.id}>
                  <td>{d.type}<br /><code class="muted">{d.id}</code></td>
                  <td><time dateTime={d.createdAt}>{new Date(d.createdAt).toLocaleString()}</time></td>
                  <td>{d.status}</td>
                  <td>{d.attempts}</td>
                  <td>{d.lastStatus ?? '—'}{d.lastError && d.lastStatus === null ? ` ${d.lastError}` : ''}</td>
                  <td><button type="button" class="btn btn-small btn-ghost" aria-label={`Redeliver ${d.id}`}
                    onClick={async () => { try { await api.webhooks.redeliver(w.id, d.id); setNotice(`Delivery ${d.id} queued again.`); await openLog(w.id); } catch (err) { setError(err); } }}>Redeliver</button></td>
                </tr>
              ))}</tbody>
            </table></div>
          ))}
        </article>
      ))}
      {confirm && (
        <ConfirmDialog title="Delete this webhook?" confirmLabel="Delete webhook" onCancel={() => setConfirm(null)} onConfirm={() => { const w = confirm; setConfirm(null); void act(() => api.webhooks.remove(w.id), `Webhook ${w.url} deleted.`); }}>
          <p>{confirm.url} stops receiving events; its pending deliveries are dropped.</p>
        </ConfirmDialog>
      )}
    </section>
  );
}
