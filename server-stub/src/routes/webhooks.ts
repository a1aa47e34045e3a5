// Agent API: webhooks (CONTRACT §8) — endpoints, their secret, their delivery log. Admin-only (CONTRACT §6 roles).
import { Hono } from 'hono';
import { limitSchema } from '../../../widget/src/contract/zod/agent.js';
import { webhookCreateSchema, webhookPatchSchema } from '../../../widget/src/contract/zod/webhooks.js';
import { newWebhookSecret } from '../domain/webhook-sign.js';
import { agentActor, role } from '../http/auth.js';
import type { AppEnv } from '../http/env.js';
import { HttpError } from '../http/http-error.js';
import { parseWith, readJson } from '../http/read-json.js';
import type { DeliveryRecord, WebhookRecord } from '../storage/automation-store.js';
import type { Tx } from '../storage/store.js';
import { commit } from '../services/contacts.js';
import type { Services } from '../services/index.js';
import { targetProblem } from '../services/webhook-send.js';
import { newWebhookId } from '../services/webhooks.js';
import { decodeCursor, encodeCursor } from './cursor.js';

export const presentWebhook = (w: WebhookRecord) => w;
export const presentDelivery = ({ id, type, createdAt, status, attempts, nextAttemptAt, lastAttemptAt, lastStatus, lastError }: DeliveryRecord) =>
  ({ id, type, createdAt, status, attempts, nextAttemptAt, lastAttemptAt, lastStatus, lastError });

async function webhookOr404(tx: Pick<Tx, 'getWebhook'>, id: string): Promise<WebhookRecord> {
  const w = await tx.getWebhook(id);
  if (!w) throw new HttpError(404, 'webhook_not_found', 'no such webhook');
  return w;
}

export function webhookRoutes(s: Services) {
  const r = new Hono<AppEnv>();
  /** Resolves the name now (and again at every send): private and loopback targets are refused (SSRF). */
  const checkTarget = async (url: string) => {
    const problem = await targetProblem(url, s.webhooks.options.allowPrivate);
    if (problem) throw new HttpError(400, 'validation_failed', `url: ${problem}`, [{ path: ['url'], message: problem }]);
  };

  // role: admin
  r.get('/v1/webhooks', role('admin'), async (c) => c.json({ items: (await s.store.read((db) => db.listWebhooks())).map(presentWebhook), nextCursor: null }));

  // role: admin
  r.post('/v1/webhooks', role('admin'), async (c) => {
    const body = await readJson(c, webhookCreateSchema);
    await checkTarget(body.url);
    const w: WebhookRecord = {
      id: newWebhookId(), url: body.url, events: body.events, enabled: body.enabled ?? true, secret: newWebhookSecret(),
      createdAt: new Date().toISOString(), failingSince: null, disabledReason: null,
    };
    await s.store.write((tx) => tx.insertWebhook(w));
    return c.json(presentWebhook(w), 201);
  });

  // role: admin
  r.get('/v1/webhooks/:id', role('admin'), async (c) => c.json(presentWebhook(await s.store.read((db) => webhookOr404(db, c.req.param('id'))))));

  // role: admin
  r.patch('/v1/webhooks/:id', role('admin'), async (c) => {
    await s.store.read((db) => webhookOr404(db, c.req.param('id')));
    const body = await readJson(c, webhookPatchSchema);
    if (body.url !== undefined) await checkTarget(body.url);
    const updated = await commit(s.store, async (tx, out) => {
      const w = await webhookOr404(tx, c.req.param('id'));
      // enabling by hand clears the failing state and the notice; pending deliveries go out again
      const reenable = body.enabled === true && !w.enabled;
      await tx.updateWebhook(w.id, { ...body, ...(reenable ? { failingSince: null, disabledReason: null } : {}), ...(body.enabled === false ? { disabledReason: null } : {}) });
      if (reenable) out.push(() => void s.webhooks.pump());
      return (await tx.getWebhook(w.id))!;
    }, agentActor(c));
    return c.json(presentWebhook(updated));
  });

  // role: admin
  r.delete('/v1/webhooks/:id', role('admin'), async (c) => {
    await s.store.write(async (tx) => tx.deleteWebhook((await webhookOr404(tx, c.req.param('id'))).id));
    return c.body(null, 204);
  });

  // role: admin
  // a new secret signs every attempt from now on, retries of older deliveries included
  r.post('/v1/webhooks/:id/rotate-secret', role('admin'), async (c) => {
    const w = await s.store.write(async (tx) => {
      const w = await webhookOr404(tx, c.req.param('id'));
      await tx.updateWebhook(w.id, { secret: newWebhookSecret() });
      return (await tx.getWebhook(w.id))!;
    });
    return c.json(presentWebhook(w));
  });

  // role: admin
  r.get('/v1/webhooks/:id/deliveries', role('admin'), async (c) => {
    const limit = c.req.query('limit') === undefined ? 50 : parseWith(limitSchema, c.req.query('limit'));
    const after = decodeCursor(c.req.query('cursor'));
    const rows = await s.store.read(async (db) => {
      const w = await webhookOr404(db, c.req.param('id'));
      return db.listDeliveries(w.id, { before: after && { createdAt: after[0], id: after[1] }, limit: limit + 1 });
    });
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return c.json({ items: page.map(presentDelivery), nextCursor: rows.length > limit ? encodeCursor([last.createdAt, last.id]) : null });
  });

  // role: admin
  r.post('/v1/webhooks/:id/deliveries/:deliveryId/redeliver', role('admin'), async (c) => {
    const d = await commit(s.store, async (tx, out) => {
      const w = await webhookOr404(tx, c.req.param('id'));
      const d = await tx.getDelivery(c.req.param('deliveryId'));
      if (!d || d.webhookId !== w.id) throw new HttpError(404, 'delivery_not_found', 'no such delivery for this webhook');
      if (!w.enabled) throw new HttpError(409, 'webhook_disabled', 'the webhook is disabled: enable it first');
      await s.webhooks.redeliver(tx, d, out);
      return (await tx.getDelivery(d.id))!;
    }, agentActor(c));
    return c.json(presentDelivery(d), 202);
  });

  return r;
}
