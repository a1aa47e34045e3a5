// Agent API, CONTRACT §9: CSV export of any list (the §5 filters), segment or condition.
import { Hono } from 'hono';
import { role } from '../http/auth.js';
import type { AppEnv } from '../http/env.js';
import { HttpError } from '../http/http-error.js';
import { searchBodySchema } from '../../../widget/src/contract/zod/conditions.js';
import { parseWith } from '../http/read-json.js';
import { exportColumns, exportCsv, type ExportPager } from '../services/export-csv.js';
import { fieldTypesOf, resolveWhere } from '../services/segments.js';
import type { Reader } from '../storage/store.js';
import type { Services } from '../services/index.js';
import { filterOf } from './contacts.js';

/** CONTRACT §7 conditions (`where` JSON and/or a segment) as pages in creation order: createdAt never changes, so a
 * contact active during the export is neither skipped nor repeated (the search's own cursor carries the order). */
async function conditionPager(s: Services, db: Reader, params: URLSearchParams): Promise<ExportPager> {
  let where: unknown;
  const rawWhere = params.get('where');
  if (rawWhere !== null) {
    try {
      where = JSON.parse(rawWhere);
    } catch {
      throw new HttpError(400, 'validation_failed', 'where: not JSON', [{ path: ['where'], message: 'expected a JSON condition' }]);
    }
  }
  const segmentId = params.get('segmentId') ?? undefined;
  const body = parseWith(exportConditionSchema, { ...(where !== undefined ? { where } : {}), ...(segmentId !== undefined ? { segmentId } : {}) });
  const fieldType = await fieldTypesOf(db);
  const checked = await resolveWhere(db, body, fieldType);
  const now = new Date();
  return (last, limit, begin) => s.store.read(async (r) => (begin(), await r.searchContacts({ where: checked, now, sort: EXPORT_SORT, after: last && { value: last.createdAt, id: last.id }, limit })).map((row) => row.contact));
}

const EXPORT_SORT = { field: 'createdAt', dir: 'asc' } as const;
const exportConditionSchema = searchBodySchema.pick({ where: true, segmentId: true });

export function exportRoutes(s: Services) {
  const r = new Hono<AppEnv>();

  // role: admin
  r.get('/v1/contacts/export.csv', role('admin'), async (c) => {
    const url = new URL(c.req.url);
    const byCondition = url.searchParams.has('where') || url.searchParams.has('segmentId');
    const { filter, keys } = await s.store.read(async (db) => ({
      filter: byCondition ? await conditionPager(s, db, url.searchParams) : await filterOf(db, c),
      keys: (await db.listFields()).map((f) => f.key),
    }));
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
