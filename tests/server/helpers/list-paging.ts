// Pages through GET /v1/contacts' store query the way the console does (a keyset cursor), for tests that compare
// the paged answer with a brute-force one.
import type { ContactFilter, Store } from '../../../server-stub/src/storage/store.js';

/** Every id `filter` lists, page by page of `limit`; throws if the cursor never reaches the end. */
export async function pageAll(store: Store, f: ContactFilter, limit: number, maxPages = 10_000): Promise<string[]> {
  const out: string[] = [];
  let after: ContactFilter['after'];
  for (let page = 0; page < maxPages; page++) {
    const rows = await store.read((db) => db.listContacts({ ...f, after, limit }));
    out.push(...rows.map((c) => c.id));
    if (rows.length < limit) return out;
    const last = rows[rows.length - 1];
    after = { lastSeenAt: last.lastSeenAt, id: last.id };
  }
  throw new Error('paging never ended');
}
