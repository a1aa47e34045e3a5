// The contacts screen's filters live in the address (`#/contacts?type=lead&tag=vip&q=anna`), so a
// filtered list survives a reload, comes back with the Back button after opening a profile, and can
// be bookmarked or pasted to a teammate. Unknown or repeated keys are ignored; nothing here trusts the
// address more than a form field would (the server validates every filter again).

export type ListFilters = { type: string; tags: string[]; q: string; fieldKey: string; fieldValue: string };

export const NO_FILTERS: ListFilters = { type: '', tags: [], q: '', fieldKey: '', fieldValue: '' };
const TYPES = new Set(['guest', 'lead', 'customer']);

/** Filters from a location hash such as `#/contacts?tag=vip&tag=billing`. */
export function filtersFromHash(hash: string): ListFilters {
  const i = hash.indexOf('?');
  if (i < 0) return { ...NO_FILTERS, tags: [] };
  const p = new URLSearchParams(hash.slice(i + 1));
  const type = p.get('type') ?? '';
  const fieldKey = p.get('field') ?? '';
  const fieldValue = fieldKey ? p.get('value') ?? '' : '';
  return {
    type: TYPES.has(type) ? type : '',
    tags: [...new Set(p.getAll('tag').map((t) => t.trim()).filter(Boolean))],
    q: (p.get('q') ?? '').trim(),
    fieldKey: fieldValue ? fieldKey : '',
    fieldValue,
  };
}

/** The hash for the contacts screen with these filters; no `?` when nothing is filtered. */
export function hashOfFilters(f: ListFilters): string {
  const p = new URLSearchParams();
  if (f.type) p.set('type', f.type);
  for (const t of f.tags) p.append('tag', t);
  if (f.q) p.set('q', f.q);
  if (f.fieldKey && f.fieldValue) { p.set('field', f.fieldKey); p.set('value', f.fieldValue); }
  const s = p.toString();
  return '#/contacts' + (s ? '?' + s : '');
}
