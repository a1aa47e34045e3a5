// Agent API, CONTRACT §9: duplicate suggestions and the manual merge.
import { Hono } from 'hono';
import { z } from 'zod';
import { agentActor, role } from '../http/auth.js';
import type { AppEnv } from '../http/env.js';
import { HttpError } from '../http/http-error.js';
import { readJson } from '../http/read-json.js';
import { missingContact } from '../services/erase.js';
import { commit } from '../services/contacts.js';
import type { Services } from '../services/index.js';
import { agentContact } from '../services/present.js';

const mergeSchema = z.strictObject({ from: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'expected a contact id') });

export function mergeRoutes(s: Services) {
  const r = new Hono<AppEnv>();

  r.get('/v1/contacts/:id/duplicates', role('agent'), async (c) => {
    const items = await s.store.read(async (db) => {
      const id = c.req.param('id');
      const me = (await db.getContact(id)) ?? (await missingContact(db, id));
      if (me.mergedInto) throw new HttpError(409, 'contact_merged', `contact was merged into ${me.mergedInto}`);
      return me.email || me.phone ? db.findDuplicates(me.id, me.email, me.phone, 20) : [];
    });
    return c.json({ items: items.map(agentContact), nextCursor: null });
  });

  r.post('/v1/contacts/:id/merge', role('agent'), async (c) => {
    const body = await readJson(c, mergeSchema);
    return c.json(agentContact(await commit(s.store, (tx, out) => s.mergeContacts(tx, c.req.param('id'), body.from, out), agentActor(c))));
  });

  return r;
}
