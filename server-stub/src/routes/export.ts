// Agent API, CONTRACT §9: CSV export of any list (the §5 filters), segment or condition.
import { Hono } from 'hono';
import { role } from '../http/auth.js';
import type { AppEnv } from '../http/env.js';
import { HttpError } from '../http/http-error.js';
import { exportColumns, exportCsv } from '../services/export-csv.js';
import type { Services } from '../services/index.js';
import { filterOf } from './contacts.js';

export function exportRoutes(s: Services) {
  const r = new Hono<AppEnv>();

  // role: admin
  r.get('/v1/contacts/export.csv', role('admin'), async (c) => {
    const url = new URL(c.req.url);
    // merger: with cond's condition compiler, `where` / `segmentId` pick the contacts here (POST /v1/contacts/search's filter)
    for (const p of ['where', 'segmentId'])
      if (url.searchParams.has(p)) throw new HttpError(400, 'validation_failed', `${p}: conditions are not available in this build yet; use the list filters`, [{ path: [p], message: 'not supported yet' }]);
    const { filter, keys } = await s.store.read(async (db) => ({ filter: await filterOf(db, c), keys: (await db.listFields()).map((f) => f.key) }));
    const columns = exportColumns(c.req.query('columns'), keys);
    const day = new Date().toISOString().slice(0, 10);
    return new Response(exportCsv(s.store, filter, columns, { bom: c.req.query('bom') !== '0' }), {
      headers: {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="contacts-${day}.csv"`,
        'cache-control': 'no-store',
      },
    });
  });

  return r;
}
