// SQLite statements behind automation-store.ts (the schedule, webhooks, rules): plain SQL a PostgreSQL store can copy.
import type Database from 'better-sqlite3';
import type { AutomationReader, AutomationTx, DeliveryColumns, DeliveryRecord, WebhookColumns, WebhookRecord } from './automation-store.js';

type Row = Record<string, any>;
type Sync<T> = { [K in keyof T]: T[K] extends (...a: infer A) => Promise<infer R> ? (...a: A) => R : never };

/** The names of the read methods below (sqlite-units.ts offers them to read units). */
export const AUTOMATION_READS = ['getScheduleRun', 'listWebhooks', 'getWebhook', 'listDeliveries', 'getDelivery', 'dueDeliveries', 'nextDeliveryAt'] as const satisfies readonly (keyof AutomationReader)[];

const toWebhook = (r: Row): WebhookRecord => ({
  id: r.id, url: r.url, events: JSON.parse(r.events), enabled: r.enabled === 1, secret: r.secret, createdAt: r.created_at,
  failingSince: r.failing_since, disabledReason: r.disabled_reason,
});
const toDelivery = (r: Row): DeliveryRecord => ({
  id: r.id, webhookId: r.webhook_id, type: r.type, body: r.body, createdAt: r.created_at, status: r.status, attempts: r.attempts,
  nextAttemptAt: r.next_attempt_at, lastAttemptAt: r.last_attempt_at, lastStatus: r.last_status, lastError: r.last_error,
});
const WEBHOOK_COLUMN: Record<keyof WebhookColumns, string> = { url: 'url', events: 'events', enabled: 'enabled', secret: 'secret', failingSince: 'failing_since', disabledReason: 'disabled_reason' };
const DELIVERY_COLUMN: Record<keyof DeliveryColumns, string> = {
  status: 'status', attempts: 'attempts', nextAttemptAt: 'next_attempt_at', lastAttemptAt: 'last_attempt_at', lastStatus: 'last_status', lastError: 'last_error',
};
const stored = (v: unknown) => (typeof v === 'boolean' ? (v ? 1 : 0) : Array.isArray(v) ? JSON.stringify(v) : v);
/** `UPDATE table SET a = ?, b = ? WHERE id = ?` for the given columns (names come from the maps above, never from input). */
function setClause<K extends string>(names: Record<K, string>, cols: Partial<Record<K, unknown>>): { sql: string; args: unknown[] } | null {
  const keys = (Object.keys(cols) as K[]).filter((k) => cols[k] !== undefined);
  if (!keys.length) return null;
  return { sql: keys.map((k) => `${names[k]} = ?`).join(', '), args: keys.map((k) => stored(cols[k])) };
}

export function automationOps(st: (sql: string) => Database.Statement): Sync<AutomationReader & AutomationTx> {
  return {
    getScheduleRun: (name) => (st('SELECT last_run_at FROM schedule_runs WHERE name = ?').get(name) as Row | undefined)?.last_run_at ?? null,
    claimScheduleRun: (name, prev, now) =>
      prev === null
        ? st('INSERT INTO schedule_runs (name, last_run_at) VALUES (?, ?) ON CONFLICT (name) DO NOTHING').run(name, now).changes === 1
        : st('UPDATE schedule_runs SET last_run_at = ? WHERE name = ? AND last_run_at = ?').run(now, name, prev).changes === 1,

    listWebhooks: () => (st('SELECT * FROM webhooks ORDER BY created_at, id').all() as Row[]).map(toWebhook),
    getWebhook: (id) => {
      const r = st('SELECT * FROM webhooks WHERE id = ?').get(id) as Row | undefined;
      return r && toWebhook(r);
    },
    insertWebhook: (w) =>
      void st('INSERT INTO webhooks (id, url, events, enabled, secret, created_at, failing_since, disabled_reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
        .run(w.id, w.url, JSON.stringify(w.events), w.enabled ? 1 : 0, w.secret, w.createdAt, w.failingSince, w.disabledReason),
    updateWebhook: (id, cols) => {
      const set = setClause(WEBHOOK_COLUMN, cols);
      if (set) st(`UPDATE webhooks SET ${set.sql} WHERE id = ?`).run(...set.args, id);
    },
    deleteWebhook: (id) => {
      st('DELETE FROM webhook_deliveries WHERE webhook_id = ?').run(id);
      st('DELETE FROM webhooks WHERE id = ?').run(id);
    },

    listDeliveries: (webhookId, { before, limit }) =>
      (before
        ? st('SELECT * FROM webhook_deliveries WHERE webhook_id = ? AND (created_at < ? OR (created_at = ? AND id < ?)) ORDER BY created_at DESC, id DESC LIMIT ?')
          .all(webhookId, before.createdAt, before.createdAt, before.id, limit)
        : st('SELECT * FROM webhook_deliveries WHERE webhook_id = ? ORDER BY created_at DESC, id DESC LIMIT ?').all(webhookId, limit)
      ).map((r) => toDelivery(r as Row)),
    getDelivery: (id) => {
      const r = st('SELECT * FROM webhook_deliveries WHERE id = ?').get(id) as Row | undefined;
      return r && toDelivery(r);
    },
    dueDeliveries: (nowIso, limit) =>
      (st(`SELECT d.* FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id
        WHERE d.status = 'pending' AND d.next_attempt_at <= ? AND w.enabled = 1 ORDER BY d.next_attempt_at, d.id LIMIT ?`).all(nowIso, limit) as Row[]).map(toDelivery),
    nextDeliveryAt: () =>
      (st(`SELECT min(d.next_attempt_at) AS at FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id
        WHERE d.status = 'pending' AND w.enabled = 1`).get() as Row).at ?? null,
    insertDelivery: (d) =>
      void st(`INSERT INTO webhook_deliveries (id, webhook_id, type, body, created_at, status, attempts, next_attempt_at, last_attempt_at, last_status, last_error)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(d.id, d.webhookId, d.type, d.body, d.createdAt, d.status, d.attempts, d.nextAttemptAt, d.lastAttemptAt, d.lastStatus, d.lastError),
    updateDelivery: (id, cols) => {
      const set = setClause(DELIVERY_COLUMN, cols);
      if (set) st(`UPDATE webhook_deliveries SET ${set.sql} WHERE id = ?`).run(...set.args, id);
    },
    claimDelivery: (id, due, leaseUntil) =>
      st(`UPDATE webhook_deliveries SET next_attempt_at = ? WHERE id = ? AND status = 'pending' AND next_attempt_at = ?`).run(leaseUntil, id, due).changes === 1,
  };
}
