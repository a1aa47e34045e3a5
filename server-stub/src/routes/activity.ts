// GET /v1/contacts/:id/activity (CONTRACT §6): every change to the contact with its actor, newest first.
import { Hono } from 'hono';
import { limitSchema } from '../../../widget/src/contract/zod/agent.js';
import { role } from '../http/auth.js';
import type { AppEnv } from '../http/env.js';
import { HttpError } from '../http/http-error.js';
import { parseWith } from '../http/read-json.js';
import { presentActivity } from '../services/activity.js';
import type { Services } from '../services/index.js';

const cursorProblem = new HttpError(400, 'validation_failed', 'cursor: not a cursor from this API', [{ path: ['cursor'], message: 'invalid cursor' }]);

export function activityRoutes(s: Services) {
  const r = new Hono<AppEnv>();
  r.get('/v1/contacts/:id/activity', role('agent'), async (c) => {
    const id = c.req.param('id');
    const limit = parseWith(limitSchema.default(50), c.req.query('limit') || undefined);
    const raw = c.req.query('cursor');
    // the cursor is the last entry's id: entries only ever append, so "older than it" is stable
    if (raw && !/^\d{1,15}$/.test(raw)) throw cursorProblem;
    const rows = await s.store.read(async (db) => {
      if (!(await db.getContactBrief(id))) throw new HttpError(404, 'contact_not_found', 'no such contact');
      return db.listActivity(id, raw ? Number(raw) : null, limit + 1);
    });
    const page = rows.slice(0, limit);
    return c.json({ items: page.map(presentActivity), nextCursor: rows.length > limit ? String(page[page.length - 1].id) : null });
  });
  return r;
}
