// Agent API, CONTRACT §9: CSV import as a job (text/csv body, up to 32 MB: this router's own body limit), its status, undo.
import { Hono } from 'hono';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { agentActor, role } from '../http/auth.js';
import type { AppEnv } from '../http/env.js';
import { HttpError, validationError } from '../http/http-error.js';
import { readRows, spoolUpload, type CsvRow } from '../services/import-file.js';
import { checkHeader, IMPORT_MATCHES, type ImportMatch } from '../services/import-header.js';
import type { Services } from '../services/index.js';

const bad = (param: string, message: string) => new HttpError(400, 'validation_failed', `${param}: ${message}`, [{ path: [param], message }]);

export function importRoutes(s: Services) {
  const r = new Hono<AppEnv>();

  // role: admin
  r.post('/v1/contacts/import', role('admin'), async (c) => {
    const match = c.req.query('match') as ImportMatch;
    if (!IMPORT_MATCHES.includes(match)) throw bad('match', `expected one of ${IMPORT_MATCHES.join(', ')}`);
    const dry = c.req.query('dryRun');
    if (dry !== undefined && !['0', '1', 'true', 'false'].includes(dry)) throw bad('dryRun', 'expected 1 or 0');
    const file = await spoolUpload(c.req.raw.body, randomBytes(9).toString('base64url'));
    let columns: string[];
    try {
      const first: CsvRow[] = [];
      for await (const row of readRows(file, { limit: 2 })) first.push(row);
      const head = first[0];
      if (!head || ('cells' in head && head.cells.every((x) => x.trim() === ''))) throw new HttpError(400, 'empty_file', 'the file has no header row: it needs a header row and at least one contact');
      if ('error' in head) throw new HttpError(400, 'invalid_header', `the header row cannot be read: ${head.error.message}`, [{ path: ['header'], message: head.error.message }]);
      if (first.length < 2) throw new HttpError(400, 'no_rows', 'the file has a header row but no contacts');
      const keys = new Set((await s.store.read((db) => db.listFields())).map((f) => f.key));
      const checked = checkHeader(head.cells, keys, match);
      if ('issues' in checked) throw validationError(checked.issues);
      columns = checked.columns;
    } catch (err) {
      rmSync(file, { force: true });
      throw err;
    }
    const jobId = await s.imports.start(file, columns, match, dry === '1' || dry === 'true');
    return c.json({ jobId }, 202);
  });

  // merger: with cond's jobs framework, GET /v1/jobs/:id answers imports too; this route stays for the result and undo state
  r.get('/v1/imports/:jobId', role('admin'), async (c) => {
    const job = await s.store.read((db) => db.getImport(c.req.param('jobId')));
    if (!job) throw new HttpError(404, 'import_not_found', 'no such import');
    const { resultJson, ...rest } = job;
    return c.json({ ...rest, result: resultJson ? JSON.parse(resultJson) : null });
  });

  // role: admin
  r.post('/v1/imports/:jobId/undo', role('admin'), async (c) => c.json(await s.imports.undo(c.req.param('jobId'), agentActor(c))));

  return r;
}
