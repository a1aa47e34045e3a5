// Agent API of CONTRACT §7: condition search, saved segments (live counts), bulk actions as background jobs.
import type { JobError } from '../storage/store.js';
import { Hono } from 'hono';
import { randomBytes } from 'node:crypto';
import { bulkBodySchema, searchBodySchema, segmentCreateSchema, segmentIdSchema, segmentPatchSchema } from '../../../widget/src/contract/zod/conditions.js';
import { checkCondition, DEFAULT_SORT, sortProblem, type SortAfter, type SortSpec } from '../domain/conditions/index.js';
import { agentActor, allows, callerOf, role } from '../http/auth.js';
import type { AppEnv } from '../http/env.js';
import { HttpError, validationError } from '../http/http-error.js';
import { parseWith, readJson } from '../http/read-json.js';
import { checkBulkAction, startBulk } from '../services/bulk.js';
import type { Services } from '../services/index.js';
import { presentJob } from '../services/jobs.js';
import { agentContact } from '../services/present.js';
import { fieldTypesOf, presentSegment, resolveWhere, segmentTrees, segmentWhere } from '../services/segments.js';

/** Search cursors carry the order they belong to, so a cursor from another sort is a 400, not a wrong page. */
const encodeCursor = (sort: SortSpec, after: SortAfter) => Buffer.from(JSON.stringify([sort.field, sort.dir, after.value, after.id])).toString('base64url');
function decodeCursor(raw: string | undefined, sort: SortSpec): SortAfter | undefined {
  if (raw === undefined) return undefined;
  const bad = new HttpError(400, 'validation_failed', 'cursor: not a cursor of this search order', [{ path: ['cursor'], message: 'invalid cursor' }]);
  let v: unknown;
  try {
    v = /^[A-Za-z0-9_-]+$/.test(raw) ? JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) : null;
  } catch {
    throw bad;
  }
  if (!Array.isArray(v) || v.length !== 4 || v[0] !== sort.field || v[1] !== sort.dir || typeof v[3] !== 'string') throw bad;
  if (v[2] !== null && typeof v[2] !== 'string' && !(typeof v[2] === 'number' && Number.isFinite(v[2]))) throw bad;
  return { value: v[2], id: v[3] };
}

const newSegmentId = () => 'sg_' + randomBytes(9).toString('base64url');

export function searchRoutes(s: Services) {
  const r = new Hono<AppEnv>();

  r.post('/v1/contacts/search', role('agent'), async (c) => {
    const body = await readJson(c, searchBodySchema);
    const sort = body.sort ?? DEFAULT_SORT;
    const after = decodeCursor(body.cursor, sort);
    const now = new Date();
    const { rows, total } = await s.store.read(async (db) => {
      const seg = body.segmentId !== undefined ? await db.getSegment(body.segmentId) : undefined;
      const fieldType = await fieldTypesOf(db, [body.where, ...segmentTrees(seg ? [seg] : [])], sort.field.startsWith('custom.') ? [sort.field.slice(7)] : []);
      const where = await resolveWhere(db, body, fieldType);
      const problem = sortProblem(sort, fieldType);
      if (problem) throw new HttpError(400, 'validation_failed', `sort.field: ${problem}`, [{ path: ['sort', 'field'], message: problem }]);
      return { rows: await db.searchContacts({ where, now, sort, after, limit: body.limit + 1 }), total: await db.estimateMatching(where, now) };
    });
    const page = rows.slice(0, body.limit);
    const last = page[page.length - 1];
    // an estimate is never below what the first page shows
    const seen = after ? 0 : rows.length;
    const count = total.exact ? total.n : Math.max(total.n, seen);
    return c.json({ items: page.map((row) => agentContact(row.contact)), nextCursor: rows.length > body.limit ? encodeCursor(sort, { value: last.key, id: last.contact.id }) : null, total: count, totalExact: total.exact });
  });

  r.get('/v1/segments', role('agent'), async (c) => {
    const now = new Date();
    const items = await s.store.read(async (db) => {
      const segs = await db.listSegments();
      const fieldType = await fieldTypesOf(db, segmentTrees(segs));
      const out = [];
      for (const seg of segs) {
        const where = segmentWhere(seg, fieldType);
        out.push(presentSegment(seg, where ? await db.countMatching(where, now) : null));
      }
      return out;
    });
    return c.json({ items });
  });

  // role: admin
  r.post('/v1/segments', role('admin'), async (c) => {
    const body = await readJson(c, segmentCreateSchema);
    const at = new Date();
    const seg = await s.store.write(async (tx) => {
      const checked = checkCondition(body.where, await fieldTypesOf(tx, [body.where]), ['where']);
      if (!checked.ok) throw validationError(checked.issues);
      const row = { id: newSegmentId(), name: body.name.trim(), whereJson: JSON.stringify(body.where), createdAt: at.toISOString(), updatedAt: at.toISOString() };
      await tx.createSegment(row);
      return presentSegment(row, await tx.countMatching(checked.where, at));
    });
    return c.json(seg, 201);
  });

  // role: admin
  r.patch('/v1/segments/:id', role('admin'), async (c) => {
    const id = parseWith(segmentIdSchema, c.req.param('id'));
    const body = await readJson(c, segmentPatchSchema);
    const at = new Date();
    const seg = await s.store.write(async (tx) => {
      const before = await tx.getSegment(id);
      if (!before) throw new HttpError(404, 'segment_not_found', 'no such segment');
      const fieldType = await fieldTypesOf(tx, [body.where, ...segmentTrees([before])]);
      if (body.where) {
        const checked = checkCondition(body.where, fieldType, ['where']);
        if (!checked.ok) throw validationError(checked.issues);
      }
      await tx.updateSegment(id, { name: body.name?.trim(), whereJson: body.where && JSON.stringify(body.where), updatedAt: at.toISOString() });
      const row = (await tx.getSegment(id))!;
      const where = segmentWhere(row, fieldType);
      return presentSegment(row, where ? await tx.countMatching(where, at) : null);
    });
    return c.json(seg);
  });

  // role: admin
  r.delete('/v1/segments/:id', role('admin'), async (c) => {
    const id = parseWith(segmentIdSchema, c.req.param('id'));
    await s.store.write(async (tx) => {
      if (!(await tx.getSegment(id))) throw new HttpError(404, 'segment_not_found', 'no such segment');
      await tx.deleteSegment(id);
    });
    return c.body(null, 204);
  });

  // any agent may tag or set fields in bulk; erase is admin-only (CONTRACT §6), checked before anything else
  r.post('/v1/contacts/bulk', role('agent'), async (c) => {
    const body = await readJson(c, bulkBodySchema);
    if ('erase' in body.action && !allows(callerOf(c).role, 'admin')) throw new HttpError(403, 'forbidden', `bulk erase needs the admin role (you are ${callerOf(c).role})`);
    if (body.where === undefined && body.segmentId === undefined)
      throw new HttpError(400, 'validation_failed', 'where: give a condition or a segmentId (everyone is {"all": []})', [{ path: ['where'], message: 'required (or segmentId)' }]);
    const now = new Date();
    const actor = agentActor(c);
    const { job, created } = await s.store.write(async (tx) => {
      const seg = body.segmentId !== undefined ? await tx.getSegment(body.segmentId) : undefined;
      const setKey = 'setField' in body.action ? [body.action.setField.key] : [];
      const fieldType = await fieldTypesOf(tx, [body.where, ...segmentTrees(seg ? [seg] : [])], setKey);
      // a repeated id answers its job before anything else is checked: the first request was already accepted
      const existing = await tx.getJobByClientId(body.id);
      const where = existing ? undefined : await resolveWhere(tx, body, fieldType);
      if (!existing) checkBulkAction(body.action, fieldType);
      return startBulk(tx, s.jobs, { id: body.id, where, action: body.action, source: { where: body.where ?? null, segmentId: body.segmentId ?? null }, actor, now });
    });
    if (created) s.jobs.kick(job.id);
    return c.json({ jobId: job.id }, 202);
  });

  r.get('/v1/jobs/:id', role('agent'), async (c) => {
    const id = c.req.param('id');
    // an import (CONTRACT §9: POST /v1/contacts/import answers a jobId) is a job too; its rows and undo live in its own tables
    if (/^im_[A-Za-z0-9_-]{1,40}$/.test(id) && allows(callerOf(c).role, 'admin')) {
      const imp = await s.store.read((db) => db.getImport(id));
      if (imp) {
        const result = imp.resultJson ? (JSON.parse(imp.resultJson) as { errors?: JobError[]; errorCount?: number }) : null;
        const errors = (result?.errors ?? []).slice(0, 100);
        return c.json({ id: imp.id, kind: 'import', status: imp.status, done: imp.done, total: imp.done, errors, errorCount: result?.errorCount ?? errors.length, ...(result ? { result } : {}), createdAt: imp.createdAt, finishedAt: imp.finishedAt });
      }
    }
    const job = /^job_[A-Za-z0-9_-]{1,40}$/.test(id) ? await s.store.read((db) => db.getJob(id)) : undefined;
    if (!job) throw new HttpError(404, 'job_not_found', 'no such job');
    return c.json(presentJob(job));
  });

  return r;
}
