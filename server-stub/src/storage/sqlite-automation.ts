// SQLite statements behind automation-store.ts (the schedule, webhooks, rules): plain SQL a PostgreSQL store can copy.
import type Database from 'better-sqlite3';
import { randomInt } from 'node:crypto';
import type { AutomationReader, AutomationTx } from './automation-store.js';
import { DELIVERY_COLUMN, RULE_COLUMN, WEBHOOK_COLUMN, setClause, toDelivery, toRule, toRun, toWebhook } from './automation-rows.js';

type Row = Record<string, any>;
type Sync<T> = { [K in keyof T]: T[K] extends (...a: infer A) => Promise<infer R> ? (...a: A) => R : never };

/** The names of the read methods below (sqlite-units.ts offers them to read units). */
export const AUTOMATION_READS = ['getScheduleRun', 'listWebhooks', 'getWebhook', 'listDeliveries', 'getDelivery', 'dueDeliveries', 'nextDeliveryAt',
  'rulesVersion', 'listRules', 'getRule', 'listRuleRuns', 'inactiveContacts'] as const satisfies readonly (keyof AutomationReader)[];

export function automationOps(st: (sql: string) => Database.Statement): Sync<AutomationReader & AutomationTx> {
  // a fresh random version, not +1: a rolled-back bump must never be reused by a later, different rule set
  const bumpRules = () => void st('UPDATE rules_version SET v = ? WHERE id = 1').run(randomInt(1, 2 ** 47));
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

    rulesVersion: () => (st('SELECT v FROM rules_version WHERE id = 1').get() as Row).v,
    listRules: () => (st('SELECT * FROM rules ORDER BY position, created_at, id').all() as Row[]).map(toRule),
    getRule: (id) => {
      const r = st('SELECT * FROM rules WHERE id = ?').get(id) as Row | undefined;
      return r && toRule(r);
    },
    insertRule: (r) => {
      st(`INSERT INTO rules (id, name, enabled, position, trigger_json, where_json, actions_json, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`)
        .run(r.id, r.name, r.enabled ? 1 : 0, r.position, r.triggerJson, r.whereJson, r.actionsJson, r.createdAt, r.updatedAt);
      bumpRules();
    },
    updateRule: (id, cols) => {
      const set = setClause(RULE_COLUMN, cols);
      if (set) st(`UPDATE rules SET ${set.sql} WHERE id = ?`).run(...set.args, id);
      bumpRules();
    },
    deleteRule: (id) => {
      st('DELETE FROM rule_runs WHERE rule_id = ?').run(id);
      st('DELETE FROM rule_inactive_marks WHERE rule_id = ?').run(id);
      st('DELETE FROM rules WHERE id = ?').run(id);
      bumpRules();
    },
    insertRuleRun: (run) =>
      Number(st('INSERT INTO rule_runs (rule_id, at, contact_id, trigger_on, matched, actions_json) VALUES (?, ?, ?, ?, ?, ?)')
        .run(run.ruleId, run.at, run.contactId, run.trigger, run.matched ? 1 : 0, run.actionsJson).lastInsertRowid),
    listRuleRuns: (ruleId, { beforeId, limit }) =>
      (st('SELECT * FROM rule_runs WHERE rule_id = ? AND id < ? ORDER BY id DESC LIMIT ?').all(ruleId, beforeId ?? Number.MAX_SAFE_INTEGER, limit) as Row[]).map(toRun),
    inactiveContacts: (ruleId, beforeIso, limit) =>
      (st(`SELECT c.id, c.last_seen_at FROM contacts c WHERE c.merged_into IS NULL AND c.last_seen_at < ?
        AND NOT EXISTS (SELECT 1 FROM rule_inactive_marks m WHERE m.rule_id = ? AND m.contact_id = c.id AND m.last_seen_at = c.last_seen_at)
        ORDER BY c.last_seen_at, c.id LIMIT ?`).all(beforeIso, ruleId, limit) as Row[]).map((r) => ({ id: r.id, lastSeenAt: r.last_seen_at })),
    markInactive: (ruleId, contactId, lastSeenAt) =>
      void st(`INSERT INTO rule_inactive_marks (rule_id, contact_id, last_seen_at) VALUES (?, ?, ?)
        ON CONFLICT (rule_id, contact_id) DO UPDATE SET last_seen_at = excluded.last_seen_at`).run(ruleId, contactId, lastSeenAt),
  };
}
