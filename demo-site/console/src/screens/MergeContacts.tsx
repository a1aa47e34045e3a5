import { useEffect, useState } from 'preact/hooks';
import { useApp } from '../app-context';
import type { Contact } from '../api/schemas';
import { ErrorState, Loading } from '../components/States';
import { displayName } from '../lib/format';

const ROWS: { label: string; get: (c: Contact) => string | null }[] = [
  { label: 'Type', get: (c) => c.type },
  { label: 'Name', get: (c) => c.name },
  { label: 'Email', get: (c) => c.email },
  { label: 'Phone', get: (c) => c.phone },
  { label: 'Customer id', get: (c) => c.customerId },
  { label: 'Tags', get: (c) => (c.tags.length ? c.tags.join(', ') : null) },
  { label: 'Note', get: (c) => c.note },
];
const RANK = { guest: 0, lead: 1, customer: 2 } as const;

/** What the merge keeps (server: domain/merge.ts): the kept contact's value, else the other's; tags joined; notes joined; the higher type. */
function survivingValue(label: string, keep: Contact, other: Contact, get: (c: Contact) => string | null): string | null {
  if (label === 'Type') return RANK[keep.type] >= RANK[other.type] ? keep.type : other.type;
  if (label === 'Tags') return [...new Set([...keep.tags, ...other.tags])].join(', ') || null;
  if (label === 'Note') return [keep.note, other.note].filter(Boolean).join('\n\n') || null;
  return get(keep) ?? get(other);
}

/** Two contacts side by side, the value each field keeps, and a choice of which contact survives. */
export function MergeContacts({ id, other }: { id: string; other: string }) {
  const { api } = useApp();
  const [pair, setPair] = useState<[Contact, Contact] | null>(null);
  const [keepFirst, setKeepFirst] = useState(true);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    Promise.all([api.contacts.get(id), api.contacts.get(other)]).then(([a, b]) => {
      if (a.mergedInto || b.mergedInto) throw new Error('One of these contacts was already merged.');
      setPair([a as Contact, b as Contact]);
    }).catch(setError);
  }, [api, id, other]);
  if (error && !pair) return <section class="page"><a class="back" href={`#/contacts/${encodeURIComponent(id)}`}>← Contact</a><ErrorState error={error} onRetry={() => location.reload()} /></section>;
  if (!pair) return <section class="page"><Loading label="Loading both contacts…" /></section>;
  const [keep, drop] = keepFirst ? pair : [pair[1], pair[0]];
  const conflict = Boolean(keep.customerId && drop.customerId && keep.customerId !== drop.customerId);
  const merge = () => {
    setBusy(true);
    api.data.merge(keep.id, drop.id).then((c) => location.assign(`#/contacts/${encodeURIComponent(c.id)}`), (e) => { setBusy(false); setError(e); });
  };
  return (
    <section class="page" aria-labelledby="merge-title">
      <a class="back" href={`#/contacts/${encodeURIComponent(id)}`}>← Contact</a>
      <h1 id="merge-title">Merge contacts</h1>
      <fieldset class="segmented">
        <legend>Which contact survives?</legend>
        {pair.map((c, i) => (
          <label key={c.id} class="segment">
            <input type="radio" name="keep" checked={keepFirst === (i === 0)} onChange={() => setKeepFirst(i === 0)} /> Keep {displayName(c)}
          </label>
        ))}
      </fieldset>
      <table class="table merge-table">
        <caption class="muted">Where both have a value, the surviving contact’s wins; the other value stays visible under “Other details”.</caption>
        <thead><tr><th scope="col">Field</th><th scope="col">{displayName(keep)} (survives)</th><th scope="col">{displayName(drop)} (merged in)</th><th scope="col">After the merge</th></tr></thead>
        <tbody>
          {ROWS.map((r) => (
            <tr key={r.label}>
              <th scope="row">{r.label}</th>
              <td>{r.get(keep) ?? '—'}</td>
              <td>{r.get(drop) ?? '—'}</td>
              <td data-testid={`result-${r.label}`}>{survivingValue(r.label, keep, drop, r.get) ?? '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {conflict && <p class="error" role="alert">Both are customers with different customer ids: they are never merged.</p>}
      {error !== null && pair && <p class="error" role="alert">{(error as Error).message}</p>}
      <div class="actions">
        <button type="button" class="btn btn-primary" disabled={busy || conflict} onClick={merge}>Merge into {displayName(keep)}</button>
      </div>
    </section>
  );
}
