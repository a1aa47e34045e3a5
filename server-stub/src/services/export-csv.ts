// CSV export (CONTRACT §9): a pull-driven stream of pages, each read in its own unit, so a million contacts never sit in
// memory and never hold the store for one long read; a slow client slows the reads (backpressure), nothing piles up.
import { BASIC_COLUMNS, csvLine } from '../domain/csv.js';
import { HttpError } from '../http/http-error.js';
import type { ContactFilter, ContactRecord, Store } from '../storage/store.js';

export const EXPORT_PAGE = 1000;
/** Excel reads a UTF-8 CSV without a byte-order mark as the local ANSI code page (é becomes Ã©): we write one by default. */
export const UTF8_BOM = '\ufeff';

/** The export's columns: all (basic, then custom keys) by default, else the `columns=` list in its order; an unknown name is a 400. */
export function exportColumns(param: string | undefined, customKeys: string[]): string[] {
  const all = [...BASIC_COLUMNS, ...customKeys];
  if (param === undefined || param.trim() === '') return all;
  const wanted = param.split(',').map((c) => c.trim()).filter(Boolean);
  const known = new Set(all);
  const bad = wanted.find((c) => !known.has(c));
  if (bad !== undefined) throw new HttpError(400, 'validation_failed', `columns: unknown column "${bad.slice(0, 64)}"`, [{ path: ['columns'], message: `unknown column "${bad.slice(0, 64)}"` }]);
  if (new Set(wanted).size !== wanted.length) throw new HttpError(400, 'validation_failed', 'columns: a column is listed twice', [{ path: ['columns'], message: 'listed twice' }]);
  return wanted;
}

function cellOf(c: ContactRecord, column: string) {
  switch (column) {
    case 'tags':
      return c.tags.join(';');
    case 'id': case 'type': case 'name': case 'email': case 'phone': case 'customerId': case 'timezone': case 'locale': case 'createdAt': case 'lastSeenAt': case 'note':
      return c[column];
    default:
      return Object.hasOwn(c.custom, column) ? c.custom[column] : null;
  }
}

/** One page of an export after the previous page's last contact (undefined: the first page). */
export type ExportPager = (last: ContactRecord | undefined) => Promise<ContactRecord[]>;

/** Pages of the list filters (CONTRACT §5), by id. */
export const filterPager = (store: Store, filter: ContactFilter): ExportPager => (last) => store.read((r) => r.exportContacts(filter, last?.id ?? null, EXPORT_PAGE));

/** The CSV as a byte stream; `filter` null matches nothing (a tag nobody has): the header alone. */
export function exportCsv(store: Store, filter: ContactFilter | ExportPager | null, columns: string[], opts: { bom: boolean }): ReadableStream<Uint8Array> {
  const pager = typeof filter === 'function' ? filter : filter && filterPager(store, filter);
  let last: ContactRecord | undefined;
  const encoder = new TextEncoder();
  let started = false;
  return new ReadableStream<Uint8Array>({
    async pull(ctrl) {
      let text = '';
      if (!started) {
        started = true;
        text = (opts.bom ? UTF8_BOM : '') + csvLine(columns);
        if (!pager) {
          ctrl.enqueue(encoder.encode(text));
          return ctrl.close();
        }
      }
      // one event-loop turn between pages: every page's read settles in microtasks, and without a turn the
      // socket's pull would chain them all and starve every other request until the export ends (bench: 1 sync in 30k rows)
      await new Promise((r) => setImmediate(r));
      const page = await pager!(last);
      for (const c of page) text += csvLine(columns.map((col) => cellOf(c, col)));
      if (text) ctrl.enqueue(encoder.encode(text));
      if (page.length < EXPORT_PAGE) ctrl.close();
      else last = page[page.length - 1];
    },
  }, { highWaterMark: 0 });
}
