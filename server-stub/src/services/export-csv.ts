// CSV export (CONTRACT §9): a pull-driven stream of pages, each read in its own unit, so a million contacts never sit in
// memory and never hold the store for one long read; a slow client slows the reads (backpressure), nothing piles up.
import { BASIC_COLUMNS, csvLine } from '../domain/csv.js';
import { HttpError } from '../http/http-error.js';
import type { ContactFilter, ContactRecord, Store } from '../storage/store.js';

/** The largest page; pages start smaller and are sized by time (below). */
export const EXPORT_PAGE = 1000;
export const EXPORT_FIRST_PAGE = 100;
/**
 * A page's read and formatting run on the event loop in one go: ~5 ms of it each, so a widget sync waits at most
 * that long behind the export (1000-row pages took ~45 ms each: sync p99 3x idle during a 1M export).
 */
export const EXPORT_PAGE_MS = 5;
/** The next page's size from how long the last took: aiming at EXPORT_PAGE_MS, 20 to EXPORT_PAGE rows. */
export function nextPageSize(rows: number, ms: number): number {
  return Math.max(20, Math.min(EXPORT_PAGE, Math.round((rows * EXPORT_PAGE_MS) / Math.max(ms, 0.1))));
}
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

/**
 * One page of `limit` contacts of an export after the previous page's last contact (undefined: the first page);
 * `begin` is called as its read unit starts (time queued behind other units is not the page's cost).
 */
export type ExportPager = (last: ContactRecord | undefined, limit: number, begin: () => void) => Promise<ContactRecord[]>;

/** Pages of the list filters (CONTRACT §5), by id. */
export const filterPager = (store: Store, filter: ContactFilter): ExportPager => (last, limit, begin) => store.read((r) => (begin(), r.exportContacts(filter, last?.id ?? null, limit)));

/** The CSV as a byte stream; `filter` null matches nothing (a tag nobody has): the header alone. */
export function exportCsv(store: Store, filter: ContactFilter | ExportPager | null, columns: string[], opts: { bom: boolean }): ReadableStream<Uint8Array> {
  const pager = typeof filter === 'function' ? filter : filter && filterPager(store, filter);
  let last: ContactRecord | undefined;
  let limit = EXPORT_FIRST_PAGE;
  let lastPageMs = 0;
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
      // a rest as long as the last page between pages: every page's read settles in microtasks, and without a turn the
      // socket's pull would chain them all and starve every other request until the export ends (bench: 1 sync in 30k
      // rows); with one setImmediate turn the export still took most of the event loop (sync p99 ~3x idle at 1M)
      await new Promise((r) => setTimeout(r, Math.min(20, Math.ceil(lastPageMs))));
      let began = performance.now();
      const page = await pager!(last, limit, () => (began = performance.now()));
      for (const c of page) text += csvLine(columns.map((col) => cellOf(c, col)));
      if (text) ctrl.enqueue(encoder.encode(text));
      if (page.length < limit) return ctrl.close();
      last = page[page.length - 1];
      lastPageMs = performance.now() - began;
      limit = nextPageSize(page.length, lastPageMs);
    },
  }, { highWaterMark: 0 });
}
