// Agent API: contacts (CONTRACT §5) — list with combined filters, counts, get, patch, tags, note.
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { contactPatchSchema, limitSchema, noteSchema } from '../../../widget/src/contract/zod/agent.js';
import { CONTACT_TYPES } from '../domain/contact-type.js';
import { filterValue } from '../domain/custom-fields.js';
import { tagKey, normalizeTagName } from '../domain/tags.js';
import { LIMITS } from '../../../widget/src/contract/limits.js';
import { HttpError } from '../http/http-error.js';
import { parseWith, readJson } from '../http/read-json.js';
import { agentActor, allows, callerOf, role } from '../http/auth.js';
import type { AppEnv } from '../http/env.js';
import { commit } from '../services/contacts.js';
import type { Services } from '../services/index.js';
import { agentContact } from '../services/present.js';
import { missingContact } from '../services/erase.js';
import type { ContactFilter, Reader } from '../storage/store.js';
import { decodeCursor, encodeCursor } from './cursor.js';

const typeSchema = z.enum(CONTACT_TYPES).optional();

/** Builds the store filter from the query; a tag nobody has yet simply matches nothing. */
export async function filterOf(r: Reader, c: Context): Promise<ContactFilter | null> {
  const url = new URL(c.req.url);
  const type = parseWith(typeSchema, url.searchParams.get('type') || undefined);
  const q = url.searchParams.get('q')?.trim() || undefined;
  if (q && q.length > 255) throw new HttpError(400, 'validation_failed', 'q: at most 255 characters', [{ path: ['q'], message: 'too long' }]);
  const tagIds: number[] = [];
  let impossible = false;
  const tags = url.searchParams.getAll('tag');
  if (tags.length > LIMITS.tagFilters)
    throw new HttpError(400, 'validation_failed', `tag: at most ${LIMITS.tagFilters} tag filters`, [{ path: ['tag'], message: `at most ${LIMITS.tagFilters}` }]);
  // looked up together: one round trip on PostgreSQL (pool connections side by side), not one per tag
  const found = await Promise.all(tags.map((raw) => {
    const name = normalizeTagName(raw);
    return name ? r.getTagByKey(tagKey(name)) : undefined;
  }));
  for (const tag of found) {
    if (tag) tagIds.push(tag.id);
    else impossible = true;
  }
  const values: { key: string; value: string }[] = [];
  for (const [param, raw] of url.searchParams) {
    if (!param.startsWith('field.')) continue;
    const key = param.slice(6);
    const field = await r.getField(key);
    if (!field) throw new HttpError(400, 'validation_failed', `${param}: unknown custom field`, [{ path: [param], message: 'unknown custom field' }]);
    const value = filterValue(field.type, raw);
    if (value === null) throw new HttpError(400, 'validation_failed', `${param}: not a ${field.type} value`, [{ path: [param], message: `expected a ${field.type}` }]);
    values.push({ key, value });
    if (values.length > LIMITS.tagFilters)
      throw new HttpError(400, 'validation_failed', `${param}: at most ${LIMITS.tagFilters} field filters`, [{ path: [param], message: `at most ${LIMITS.tagFilters} field filters` }]);
  }
  return impossible ? null : { type, q, tagIds, values };
}

export function contactRoutes(s: Services) {
  const r = new Hono<AppEnv>();

  r.get('/v1/contacts', role('agent'), async (c) => {
    const limit = parseWith(limitSchema.default(50), c.req.query('limit') || undefined);
    const cursor = decodeCursor(c.req.query('cursor'));
    const rows = await s.store.read(async (db) => {
      const filter = await filterOf(db, c);
      return filter ? db.listContacts({ ...filter, after: cursor && { lastSeenAt: cursor[0], id: cursor[1] }, limit: limit + 1 }) : [];
    });
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return c.json({ items: page.map(agentContact), nextCursor: rows.length > limit ? encodeCursor([last.lastSeenAt, last.id]) : null });
  });

  r.get('/v1/contacts/counts', role('agent'), async (c) => {
    const n = await s.store.read(async (db) => {
      const filter = await filterOf(db, c);
      return filter ? db.countContacts(filter) : { guest: 0, lead: 0, customer: 0 };
    });
    return c.json({ ...n, total: n.guest + n.lead + n.customer });
  });

  r.get('/v1/contacts/:id', role('agent'), async (c) => {
    const id = c.req.param('id');
    const contact = await s.store.read(async (db) => (await db.getContact(id)) ?? missingContact(db, id));
    return c.json(agentContact(contact));
  });

  r.patch('/v1/contacts/:id', role('agent'), async (c) => {
    const body = await readJson(c, contactPatchSchema);
    return c.json(agentContact(await commit(s.store, (tx, out) => s.contacts.patch(tx, c.req.param('id'), body, out), agentActor(c))));
  });

  r.put('/v1/contacts/:id/tags/:tag', role('agent'), async (c) => {
    const raw = c.req.param('tag');
    // creating a tag is an admin's (CONTRACT §6): an agent applies the existing ones
    if (!allows(callerOf(c).role, 'admin')) {
      const name = normalizeTagName(raw);
      if (name && !(await s.store.read((db) => db.getTagByKey(tagKey(name))))) throw new HttpError(403, 'forbidden', `no tag "${name}" yet: creating tags needs the admin role`);
    }
    return c.json(agentContact(await commit(s.store, (tx, out) => s.contacts.addTag(tx, c.req.param('id'), raw, out), agentActor(c))));
  });
  r.delete('/v1/contacts/:id/tags/:tag', role('agent'), async (c) => c.json(agentContact(await commit(s.store, (tx, out) => s.contacts.removeTag(tx, c.req.param('id'), c.req.param('tag'), out), agentActor(c)))));

  r.put('/v1/contacts/:id/note', role('agent'), async (c) => {
    const body = await readJson(c, noteSchema);
    return c.json(agentContact(await commit(s.store, (tx, out) => s.contacts.setNote(tx, c.req.param('id'), body.text, out), agentActor(c))));
  });

  return r;
}
