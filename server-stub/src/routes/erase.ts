// Agent API, CONTRACT §9: erase one contact, export everything held about one contact (the right of access), retention's last run.
import { Hono } from 'hono';
import { agentActor, role } from '../http/auth.js';
import type { AppEnv } from '../http/env.js';
import { missingContact } from '../services/erase.js';
import type { Services } from '../services/index.js';
import { exportOneContact } from '../services/export-one.js';

export function eraseRoutes(s: Services) {
  const r = new Hono<AppEnv>();

  // role: admin
  r.delete('/v1/contacts/:id', role('admin'), async (c) => {
    await s.erase.erase(c.req.param('id'), agentActor(c));
    return c.body(null, 204);
  });

  r.get('/v1/contacts/:id/export', role('admin'), async (c) => {
    const id = c.req.param('id');
    const data = await exportOneContact(s.store, id);
    if (!data) return s.store.read((db) => missingContact(db, id));
    c.header('content-disposition', `attachment; filename="contact-${id}.json"`);
    c.header('cache-control', 'no-store');
    return c.json(data);
  });

  // the retention setting lives in /v1/settings; this is its last run, for the Settings screen
  r.get('/v1/retention', role('admin'), async (c) => c.json(await s.retention.status()));

  return r;
}
