import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { useApp, useLive } from '../app-context';
import type { ContactFilters } from '../api/contacts';
import type { Contact, Counts, CustomField, Tag } from '../api/schemas';
import { TypeBadge } from '../components/TypeBadge';
import { Avatar } from '../components/Avatar';
import { EmptyState, ErrorState } from '../components/States';
import { displayName, relativeTime } from '../lib/format';
import { filtersFromHash, hashOfFilters } from '../lib/filter-url';
import { parseRoute } from '../lib/hash-route';
import { ExportButton } from '../components/ExportButton';

const TYPES = [
  { value: '', label: 'All', count: (c: Counts) => c.total },
  { value: 'guest', label: 'Guests', count: (c: Counts) => c.guest },
  { value: 'lead', label: 'Leads', count: (c: Counts) => c.lead },
  { value: 'customer', label: 'Customers', count: (c: Counts) => c.customer },
];
const PAGE = 25;

/** Contacts table with type/tag/field/search filters, per-type counts and cursor pagination. */
export function Contacts() {
  const { api } = useApp();
  // Filters start from the address and are written back to it (replaceState: no history entry per
  // keystroke), so Back from a profile, a reload or a shared link shows the same list.
  const [initial] = useState(() => filtersFromHash(location.hash));
  const [type, setType] = useState(initial.type);
  const [tags, setTags] = useState<string[]>(initial.tags);
  const [search, setSearch] = useState(initial.q);
  const [q, setQ] = useState(initial.q);
  const [fieldKey, setFieldKey] = useState(initial.fieldKey);
  const [fieldValue, setFieldValue] = useState(initial.fieldValue);
  const [appliedField, setAppliedField] = useState({ key: initial.fieldKey, value: initial.fieldValue });
  const [pager, setPager] = useState<{ key: string; cursors: (string | null)[] }>({ key: '', cursors: [null] });
  const [page, setPage] = useState<{ key: string; items: Contact[]; nextCursor: string | null } | null>(null);
  const [counts, setCounts] = useState<Counts | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [allTags, setAllTags] = useState<Tag[]>([]);
  const [fields, setFields] = useState<CustomField[]>([]);
  const [reload, setReload] = useState(0);

  const filters: ContactFilters = useMemo(() => ({ type: type || undefined, tags, q, fieldKey: appliedField.key, fieldValue: appliedField.value }), [type, tags, q, appliedField]);
  // The cursor stack belongs to one set of filters: changing a filter starts again at page 1 (no stale cursor request).
  const filtersKey = JSON.stringify(filters);
  const cursors = pager.key === filtersKey ? pager.cursors : [null];
  const setCursors = (c: (string | null)[]) => setPager({ key: filtersKey, cursors: c });
  const cursor = cursors[cursors.length - 1];
  const pageKey = filtersKey + '|' + cursor;
  const busy = !page || page.key !== pageKey; // rows on screen are from another page/filter until the answer arrives

  const ownHash = hashOfFilters({ type, tags, q, fieldKey: appliedField.key, fieldValue: appliedField.value });
  useEffect(() => {
    if (location.hash !== ownHash && parseRoute(location.hash).name === 'contacts') history.replaceState(history.state, '', ownHash);
  }, [ownHash]);
  // A new address while this screen stays (the Contacts link, a pasted link): its filters win.
  const shown = useRef(ownHash);
  shown.current = ownHash;
  useEffect(() => {
    const on = () => {
      if (parseRoute(location.hash).name !== 'contacts') return;
      const f = filtersFromHash(location.hash);
      if (hashOfFilters(f) === shown.current) return;
      setType(f.type); setTags(f.tags); setSearch(f.q); setQ(f.q);
      setFieldKey(f.fieldKey); setFieldValue(f.fieldValue); setAppliedField({ key: f.fieldKey, value: f.fieldValue });
    };
    addEventListener('hashchange', on);
    return () => removeEventListener('hashchange', on);
  }, []);

  // Debounce the search box so typing does not fire a request per key.
  useEffect(() => { const t = setTimeout(() => setQ(search.trim()), 300); return () => clearTimeout(t); }, [search]);

  // Filter choices load after the first page: their usage counts are slower at scale and must not delay the list.
  const [listed, setListed] = useState(false);
  useEffect(() => {
    if (!listed) return;
    api.tags.list().then((r) => setAllTags(r.items), () => {});
    api.customFields.list().then((r) => setFields(r.items), () => {});
  }, [api, listed]);

  useEffect(() => {
    let alive = true;
    setError(null);
    api.contacts.list(filters, cursor, PAGE).then((r) => { if (alive) { setPage({ ...r, key: pageKey }); setListed(true); } }, (e) => alive && setError(e));
    return () => { alive = false; };
  }, [api, filtersKey, cursor, reload]);

  useEffect(() => {
    let alive = true;
    api.contacts.counts(filters).then((c) => alive && setCounts(c), () => alive && setCounts(null));
    return () => { alive = false; };
  }, [api, filtersKey, reload]);

  useLive((e) => {
    // erased on any instance (issue 14): the row goes at once, no refresh
    if (e.event === 'erased' && page) return setPage({ ...page, items: page.items.filter((x) => x.id !== e.json?.id) });
    if (e.event !== 'contact' || !page) return;
    const c = e.json as Contact;
    if (page.items.some((x) => x.id === c.id)) setPage({ ...page, items: page.items.map((x) => (x.id === c.id ? c : x)) });
  });

  const field = fields.find((f) => f.key === fieldKey);
  const filtered = !!(type || tags.length || q || appliedField.key);

  return (
    <section aria-labelledby="contacts-title" class="page">
      <header class="page-head">
        <div>
          <h1 id="contacts-title">Contacts</h1>
          <p class="muted">{counts ? `${counts.total.toLocaleString()} contact${counts.total === 1 ? '' : 's'}` : 'Everyone who has talked to you, from first visit to paying customer.'}</p>
        </div>
        <div class="conv-actions">
          <ExportButton filters={filters} />
          <a class="btn" href="#/segments">Conditions, columns and bulk actions</a>
        </div>
      </header>

      <div class="segmented" role="group" aria-label="Contact type">
        {TYPES.map((t) => (
          <button type="button" key={t.value} class="segment" aria-pressed={type === t.value} onClick={() => setType(t.value)}>
            {t.label}{counts && <span class="segment-count">{t.count(counts).toLocaleString()}</span>}
          </button>
        ))}
      </div>

      <form class="filters card" role="search" aria-label="Filter contacts" onSubmit={(e) => { e.preventDefault(); setAppliedField({ key: fieldKey, value: fieldValue }); }}>
        <div class="filter">
          <label class="field-label" for="f-search">Search</label>
          <input id="f-search" class="input" type="search" placeholder="Name, email, phone or customer ID" value={search} onInput={(e) => setSearch(e.currentTarget.value)} />
        </div>
        <div class="filter">
          <label class="field-label" for="f-tag">Tags</label>
          <select id="f-tag" class="input" value="" onChange={(e) => { const v = e.currentTarget.value; if (v && !tags.includes(v)) setTags([...tags, v]); }}>
            <option value="">{allTags.length ? 'Add a tag filter…' : 'No tags yet'}</option>
            {allTags.filter((t) => !tags.includes(t.name)).map((t) => <option key={t.name} value={t.name}>{t.name}</option>)}
          </select>
        </div>
        <div class="filter">
          <label class="field-label" for="f-field">Custom field</label>
          <select id="f-field" class="input" value={fieldKey} onChange={(e) => { setFieldKey(e.currentTarget.value); setFieldValue(''); if (!e.currentTarget.value) setAppliedField({ key: '', value: '' }); }}>
            <option value="">{fields.length ? 'Any field' : 'No custom fields yet'}</option>
            {fields.map((f) => <option key={f.key} value={f.key}>{f.name}</option>)}
          </select>
        </div>
        {field && (
          <div class="filter filter-value">
            <label class="field-label" for="f-value">{field.name} is</label>
            <div class="input-row">
              {field.type === 'boolean' ? (
                <select id="f-value" class="input" value={fieldValue} onChange={(e) => setFieldValue(e.currentTarget.value)}>
                  <option value="">Choose…</option><option value="true">Yes</option><option value="false">No</option>
                </select>
              ) : (
                <input id="f-value" class="input" type={(field.type === 'date' ? 'date' : field.type === 'number' ? 'number' : 'text') as 'text'} value={fieldValue} onInput={(e) => setFieldValue(e.currentTarget.value)} />
              )}
              <button class="btn" type="submit">Apply</button>
            </div>
          </div>
        )}
      </form>

      {(tags.length > 0 || appliedField.key) && (
        <ul class="chips" aria-label="Active filters">
          {tags.map((t) => (
            <li key={t} class="chip">Tag: {t}
              <button type="button" class="chip-x" aria-label={`Remove tag filter ${t}`} onClick={() => setTags(tags.filter((x) => x !== t))}>×</button>
            </li>
          ))}
          {appliedField.key && (
            <li class="chip">{fields.find((f) => f.key === appliedField.key)?.name ?? appliedField.key} = {appliedField.value}
              <button type="button" class="chip-x" aria-label="Remove custom field filter" onClick={() => { setAppliedField({ key: '', value: '' }); setFieldKey(''); setFieldValue(''); }}>×</button>
            </li>
          )}
        </ul>
      )}

      {error ? <ErrorState error={error} onRetry={() => setReload(reload + 1)} /> : null}

      <div class="card table-card">
        <div class="table-scroll">
          <table class={busy ? 'table stale' : 'table'} aria-labelledby="contacts-title" aria-busy={busy}>
            <thead>
              <tr><th scope="col">Name</th><th scope="col">Type</th><th scope="col">Email</th><th scope="col">Phone</th><th scope="col">Tags</th><th scope="col">Last seen</th></tr>
            </thead>
            <tbody>
              {page?.items.map((c) => (
                <tr key={c.id}>
                  <td><a class="contact-link" href={`#/contacts/${encodeURIComponent(c.id)}`}><Avatar name={c.name} size={28} />{displayName(c)}</a></td>
                  <td><TypeBadge type={c.type} /></td>
                  <td class="cell-muted">{c.email ?? '—'}</td>
                  <td class="cell-muted">{c.phone ?? '—'}</td>
                  <td>{c.tags.length ? <span class="tag-list">{c.tags.map((t) => <span key={t} class="tag">{t}</span>)}</span> : <span class="cell-muted">—</span>}</td>
                  <td class="cell-muted"><time dateTime={c.lastSeenAt ?? undefined}>{relativeTime(c.lastSeenAt)}</time></td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {page && !busy && page.items.length === 0 && (
          filtered
            ? <EmptyState title="No contacts match these filters">Remove a filter or search for something else.</EmptyState>
            : <EmptyState title="No contacts yet">Open the demo shop in another window and start a chat — the visitor appears here as a Guest.</EmptyState>
        )}
        <nav class="pager" aria-label="Pagination">
          <span class="muted">Page {cursors.length}</span>
          <button type="button" class="btn" disabled={cursors.length <= 1} onClick={() => setCursors(cursors.slice(0, -1))}>Previous</button>
          <button type="button" class="btn" disabled={busy || !page?.nextCursor} onClick={() => page?.nextCursor && setCursors([...cursors, page.nextCursor])}>Next</button>
        </nav>
      </div>
    </section>
  );
}
