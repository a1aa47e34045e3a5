import { useEffect, useState } from 'preact/hooks';
import { useApp, useLive } from '../app-context';
import type { ActivityItem } from '../api/schemas';
import { ErrorState, Loading } from './States';
import { actorText, changeText } from '../lib/activity-text';
import { relativeTime } from '../lib/format';

const PAGE = 20;

/** Every change to the contact with who made it (newest first, paged); new entries arrive with the contact's live updates. */
export function ActivityTimeline({ contactId }: { contactId: string }) {
  const { api } = useApp();
  const [items, setItems] = useState<ActivityItem[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  /** The newest page; `fresh` false: keep the older pages already shown and add only what is new on top. */
  const first = (fresh = true) => {
    setError(null);
    api.contacts.activity(contactId, null, PAGE).then((r) => {
      if (fresh) { setItems(r.items); setCursor(r.nextCursor); return; }
      setItems((old) => (old ? [...r.items.filter((i) => !old.some((o) => o.id === i.id)), ...old] : r.items));
    }, setError);
  };
  useEffect(() => { setItems(null); setCursor(null); first(); }, [api, contactId]);
  useLive((e) => { if (e.event === 'contact' && e.json?.id === contactId) first(false); });

  async function older() {
    if (!cursor) return;
    setBusy(true);
    try { const r = await api.contacts.activity(contactId, cursor, PAGE); setItems((l) => [...(l ?? []), ...r.items]); setCursor(r.nextCursor); }
    catch (err) { setError(err); }
    finally { setBusy(false); }
  }

  return (
    <section class="card panel" aria-labelledby="activity-title">
      <h2 id="activity-title">Activity</h2>
      {error ? <ErrorState error={error} onRetry={() => first()} /> : !items ? <Loading label="Loading activity…" /> : items.length === 0 ? <p class="muted">No changes recorded yet.</p> : (
        <ol class="timeline" aria-label="Changes, newest first">
          {items.map((i) => (
            <li key={i.id} class="timeline-item">
              <span class="timeline-text"><span class="strong">{actorText(i.actor)}</span> {changeText(i)}</span>
              <time class="timeline-time" dateTime={i.at} title={new Date(i.at).toLocaleString()}>{relativeTime(i.at)}</time>
            </li>
          ))}
        </ol>
      )}
      {cursor && items && <div><button type="button" class="btn btn-small" disabled={busy} onClick={older}>{busy ? 'Loading…' : 'Show older changes'}</button></div>}
    </section>
  );
}
