import { useEffect, useState } from 'preact/hooks';
import { useApp } from '../app-context';
import { ApiError } from '../api/http';
import type { Contact, CustomField, Tag } from '../api/schemas';
import type { ConditionGroup } from '../api/search';
import { BulkBar } from '../components/BulkBar';
import { FilterBuilder } from '../components/FilterBuilder';
import { SEGMENTS_CHANGED } from '../components/SegmentNav';
import { ErrorState } from '../components/States';
import { TypeBadge } from '../components/TypeBadge';
import { BASIC_COLUMNS, DEFAULT_PREFS, identityKey, loadPrefs, savePrefs, type TablePrefs } from '../lib/columns';
import { displayName, relativeTime } from '../lib/format';

const PAGE = 50;
const issueText = (err: unknown) => (err instanceof ApiError ? [err.message, ...err.issues.map((i) => `${i.path.join('.')}: ${i.message}`)].filter((x, i, a) => a.indexOf(x) === i).join(' · ') : 'Something went wrong.');

/** The CRM table: a condition built field by field, saved as a segment, columns and order of the agent's choosing, bulk actions on all matches. */
export function Segments({ id }: { id?: string }) {
  const { api, token, me } = useApp();
  const [fields, setFields] = useState<CustomField[]>([]);
  const [tags, setTags] = useState<Tag[]>([]);
  const [draft, setDraft] = useState<ConditionGroup>({ all: [] });
  const [applied, setApplied] = useState<ConditionGroup>({ all: [] });
  const [segment, setSegment] = useState<{ id: string; name: string } | null>(null);
  const [who, setWho] = useState<string | null>(null);
  const [prefs, setPrefs] = useState<TablePrefs>(DEFAULT_PREFS);
  const [rows, setRows] = useState<Contact[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [total, setTotal] = useState<number | null>(null);
  // false: `total` is the server's estimate (a common condition at scale, docs/CONDITIONS.md)
  const [exact, setExact] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [name, setName] = useState('');
  const [reload, setReload] = useState(0);

  useEffect(() => {
    api.customFields.list().then((r) => setFields(r.items), setLoadError);
    api.tags.list().then((r) => setTags(r.items), setLoadError);
    // remembered per agent: the account id when signed in, else (an API token) a digest of the token
    void identityKey(me.agent ? `agent:${me.agent.id}` : token ?? me.actor.id ?? 'token').then((k) => { setWho(k); setPrefs(loadPrefs(k)); });
  }, [api, token, me]);

  useEffect(() => {
    if (!id) { setSegment(null); return; }
    api.search.segments().then((r) => {
      const s = r.items.find((x) => x.id === id);
      if (!s) return setLoadError(new ApiError(404, 'segment_not_found', 'This segment no longer exists.'));
      setSegment({ id: s.id, name: s.name });
      setName(s.name);
      setDraft(s.where);
      setApplied(s.where);
    }, setLoadError);
  }, [api, id]);

  // page 1 of the applied condition in the chosen order; "Load more" continues with the cursor
  useEffect(() => {
    let live = true;
    setError(null);
    api.search.search({ where: applied, sort: prefs.sort, limit: PAGE }).then((r) => {
      if (!live) return;
      setRows(r.items);
      setCursor(r.nextCursor);
      setTotal(r.total);
      setExact(r.totalExact !== false);
    }, (err) => live && setError(issueText(err)));
    return () => { live = false; };
  }, [api, applied, prefs.sort.field, prefs.sort.dir, reload]);

  const more = () => api.search.search({ where: applied, sort: prefs.sort, limit: PAGE, cursor: cursor ?? undefined }).then((r) => { setRows([...rows, ...r.items]); setCursor(r.nextCursor); }, (err) => setError(issueText(err)));
  const update = (p: TablePrefs) => { setPrefs(p); if (who) savePrefs(who, p); };
  const sortBy = (field: string) => update({ ...prefs, sort: { field, dir: prefs.sort.field === field && prefs.sort.dir === 'asc' ? 'desc' : 'asc' } });
  const toggleColumn = (key: string) => update({ ...prefs, columns: prefs.columns.includes(key) ? prefs.columns.filter((c) => c !== key) : [...prefs.columns, key] });

  async function save(e: Event) {
    e.preventDefault();
    try {
      if (segment) await api.search.patchSegment(segment.id, { name: name.trim() || segment.name, where: draft });
      else {
        const made = await api.search.createSegment(name.trim(), draft);
        location.hash = `#/segments/${encodeURIComponent(made.id)}`;
      }
      setApplied(draft);
      dispatchEvent(new Event(SEGMENTS_CHANGED));
    } catch (err) {
      setError(issueText(err));
    }
  }
  async function remove() {
    if (!segment) return;
    try {
      await api.search.removeSegment(segment.id);
      dispatchEvent(new Event(SEGMENTS_CHANGED));
      location.hash = '#/segments';
    } catch (err) {
      setError(issueText(err));
    }
  }

  if (loadError) return <section class="page"><h1>Contacts table</h1><ErrorState error={loadError} /></section>;
  const columns = [...BASIC_COLUMNS, ...fields.map((f) => ({ key: `custom.${f.key}`, label: f.name, sortable: true }))];
  const shown = columns.filter((c) => prefs.columns.includes(c.key));
  const cell = (c: Contact, key: string) => {
    if (key === 'name') return <a href={`#/contacts/${encodeURIComponent(c.id)}`}>{displayName(c)}</a>;
    if (key === 'type') return <TypeBadge type={c.type} />;
    if (key === 'tags') return c.tags.join(', ');
    if (key === 'createdAt' || key === 'lastSeenAt') { const v = c[key]; return v ? <time dateTime={v} title={v}>{relativeTime(v)}</time> : '—'; }
    if (key.startsWith('custom.')) { const v = c.custom[key.slice(7)]; return v === undefined || v === null ? '—' : typeof v === 'boolean' ? (v ? 'Yes' : 'No') : String(v); }
    const v = (c as Record<string, unknown>)[key];
    return v === null || v === undefined ? '—' : String(v);
  };
  return (
    <section aria-labelledby="seg-title" class="page">
      <header class="page-head">
        <div>
          <h1 id="seg-title">{segment ? segment.name : 'Contacts table'}</h1>
          <p class="muted" role="status">{total === null ? 'Loading…' : `${exact ? '' : 'about '}${total.toLocaleString()} matching`}</p>
        </div>
      </header>
      <form class="card filters-builder" aria-label="Conditions" onSubmit={(e) => { e.preventDefault(); setApplied(draft); }}>
        <FilterBuilder value={draft} onChange={setDraft} fields={fields} tags={tags} />
        <div class="input-row">
          <button class="btn btn-primary" type="submit">Apply filters</button>
          <label for="seg-name" class="visually-hidden">Segment name</label>
          <input id="seg-name" class="input input-small seg-name" placeholder="Segment name" value={name} onInput={(e) => setName(e.currentTarget.value)} />
          <button class="btn" type="button" onClick={save} disabled={!segment && !name.trim()}>{segment ? 'Update segment' : 'Save as segment'}</button>
          {segment && <button class="btn btn-danger-ghost" type="button" onClick={remove}>Delete segment</button>}
        </div>
        {error && <p class="field-error" role="alert">{error}</p>}
      </form>
      {total !== null && total > 0 && <BulkBar where={applied} total={total} estimated={!exact} fields={fields} onDone={() => setReload(reload + 1)} />}
      <details class="card column-picker">
        <summary>Columns</summary>
        <div class="cond-checks" role="group" aria-label="Columns">
          {columns.map((c) => <label key={c.key}><input type="checkbox" checked={prefs.columns.includes(c.key)} onChange={() => toggleColumn(c.key)} /> {c.label}</label>)}
        </div>
      </details>
      <div class="card table-card">
        <div class="table-scroll">
          <table class="table" aria-labelledby="seg-title">
            <thead>
              <tr>
                {shown.map((c) => {
                  const sorted = prefs.sort.field === c.key ? (prefs.sort.dir === 'asc' ? 'ascending' : 'descending') : undefined;
                  return (
                    <th key={c.key} scope="col" aria-sort={sorted}>
                      {c.sortable ? <button type="button" class="th-sort" onClick={() => sortBy(c.key)}>{c.label}{sorted ? (sorted === 'ascending' ? ' ▲' : ' ▼') : ''}</button> : c.label}
                    </th>
                  );
                })}
              </tr>
            </thead>
            <tbody>
              {rows.map((c) => <tr key={c.id}>{shown.map((col) => <td key={col.key}>{cell(c, col.key)}</td>)}</tr>)}
            </tbody>
          </table>
        </div>
        {rows.length === 0 && total !== null && <p class="muted empty-row">No contact matches these conditions.</p>}
        {cursor && <div class="pager"><span class="muted">{rows.length.toLocaleString()} of {exact ? '' : 'about '}{total?.toLocaleString()}</span><button type="button" class="btn btn-small" onClick={more}>Load more</button></div>}
      </div>
    </section>
  );
}
