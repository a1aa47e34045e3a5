// Widget session: public site config, start (guest), resume, logout (PROTOCOL.md).
import { Hono } from 'hono';
import { sessionResumeSchema, sessionStartSchema } from '../../../widget/src/contract/zod/widget.js';
import { clientIp } from '../http/client-ip.js';
import type { AppEnv } from '../http/env.js';
import { readJson, parseWith } from '../http/read-json.js';
import { hashToken, newContactId, newToken } from '../services/ids.js';
import type { Services } from '../services/index.js';
import { widgetContact } from '../services/present.js';

/** `open`: what a widget calls before it has a token; `visitor`: the token's own session (app.ts mounts each in its group). */
export function sessionRoutes(s: Services) {
  const open = new Hono<AppEnv>();
  const r = new Hono<AppEnv>();

  open.get('/v1/sites/:siteId/config', async (c) => {
    s.limiter.take('readPerIp', clientIp(c));
    // The one request of a page view (widget.js reads it to paint the launcher): cacheable for a
    // minute, so a visitor's next pages read it from the HTTP cache; settings reach them within 60 s.
    c.header('cache-control', 'public, max-age=60');
        const siteId = c.req.param('siteId');
    return c.json(await s.store.read((r) => s.settings.publicConfig(r, siteId)));
  });

  open.post('/v1/sessions', async (c) => {
    s.limiter.take('sessionsPerIp', clientIp(c));
    const body = await readJson(c, sessionStartSchema);
    s.settings.get(body.siteId);
    const token = newToken();
    // through the group commit: many visitors arriving together share one fsync
    const [contact] = await s.groupCommit.run([async (tx, out) => {
      const id = newContactId();
      await tx.insertContact({ id, siteId: body.siteId, type: 'guest', timezone: body.timezone ?? null, locale: body.locale ?? null, createdAt: new Date().toISOString() });
      await tx.createToken({ hash: hashToken(token), siteId: body.siteId, contactId: id });
      const mine = out.child({ kind: 'visitor', id });
      await s.changes.emit(tx, mine, [{ contactId: id, change: 'created' }]);
      out.adopt(mine);
      return (await tx.getContact(id))!;
    }]);
    s.hub.publish('agent', { kind: 'contact', data: contact });
    return c.json({ token, contact: widgetContact(contact, s.settings.get(contact.siteId), null) }, 201);
  });

  r.get('/v1/session', async (c) => {
    const token = c.get('token');
    s.limiter.take('readPerToken', String(token.id));
    const q = parseWith(sessionResumeSchema, { timezone: c.req.query('timezone'), locale: c.req.query('locale') });
    const [[contact, fresh]] = await s.groupCommit.run([async (tx) => {
      await tx.updateContact(token.contactId, { lastSeenAt: new Date().toISOString(), ...(q.timezone ? { timezone: q.timezone } : {}), ...(q.locale ? { locale: q.locale } : {}) });
      return [(await tx.getContact(token.contactId))!, await tx.findTokenById(token.id)] as const;
    }]);
    return c.json({ contact: widgetContact(contact, s.settings.get(contact.siteId), fresh ?? null) });
  });

  r.delete('/v1/session', async (c) => {
    const token = c.get('token');
    await s.store.write((tx) => tx.revokeToken(token.id));
    s.hub.publish(`token:${token.id}`, { kind: 'revoked' });
    return c.body(null, 204);
  });

  return { open, visitor: r };
}
