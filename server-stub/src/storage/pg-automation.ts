// The PostgreSQL statements behind automation-store.ts (sqlite-automation.ts statement for statement): the schedule's
// claims, webhooks and their delivery queue, rules, runs and inactivity marks. The claims are conditional writes
// (INSERT … ON CONFLICT DO NOTHING / UPDATE … WHERE value = the one read): under pg-store.ts's SERIALIZABLE units, a
// racing instance's commit makes the loser's unit re-run, and the re-run finds the row moved and answers false.
import { randomInt } from 'node:crypto';
import type { AutomationReader, AutomationTx } from './automation-store.js';
import { DELIVERY_COLUMN, RULE_COLUMN, WEBHOOK_COLUMN, setClause, toDelivery, toRule, toRun, toWebhook } from './automation-rows.js';
import type { Query } from './pg-ops.js';


export function pgAutomationOps(q: Query): AutomationReader & AutomationTx {
  const one = async (text: string, args?: unknown[]) => (await q(text, args))[0];
  // a fresh random version, not +1: a rolled-back bump must never be reused by a later, different rule set
  // (an upsert, and a missing row reads 0: the migration's row may be gone after a TRUNCATE of every table, as tests do)
  const bumpRules = async () =>
    void (await q('INSERT INTO rules_version (id, v) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET v = excluded.v', [randomInt(1, 2 ** 47)]));
  return {
    getScheduleRun: async (name) => (await one('SELECT last_run_at FROM schedule_runs WHERE name = ?', [name]))?.last_run_at ?? null,
    claimScheduleRun: async (name, prev, now) =>
      (prev === null
        ? await q('INSERT INTO schedule_runs (name, last_run_at) VALUES (?, ?) ON CONFLICT (name) DO NOTHING', [name, now])
        : await q('UPDATE schedule_runs SET last_run_at = ? WHERE name = ? AND last_run_at = ?', [now, name, prev])).count === 1,

    listWebhooks: async () => (await q('SELECT * FROM webhooks ORDER BY created_at, id')).map(toWebhook),
    getWebhook: async (id) => {
      const r = await one('SELECT * FROM webhooks WHERE id = ?', [id]);
      return r && toWebhook(r);
    },
    insertWebhook: async (w) =>
      void (await q('INSERT INTO webhooks (id, url, events, enabled, secret, created_at, failing_since, disabled_reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
        [w.id, w.url, JSON.stringify(w.events), w.enabled ? 1 : 0, w.secret, w.createdAt, w.failingSince, w.disabledReason])),
    updateWebhook: async (id, cols) => {
      const set = setClause(WEBHOOK_COLUMN, cols);
      if (set) await q(`UPDATE webhooks SET ${set.sql} WHERE id = ?`, [...set.args, id]);
    },
    deleteWebhook: async (id) => {
      await q('DELETE FROM webhook_deliveries WHERE webhook_id = ?', [id]);
      await q('DELETE FROM webhooks WHERE id = ?', [id]);
    },

    listDeliveries: async (webhookId, { before, limit }) =>
      (before
        ? await q('SELECT * FROM webhook_deliveries WHERE webhook_id = ? AND (created_at < ? OR (created_at = ? AND id < ?)) ORDER BY created_at DESC, id DESC LIMIT ?',
          [webhookId, before.createdAt, before.createdAt, before.id, limit])
        : await q('SELECT * FROM webhook_deliveries WHERE webhook_id = ? ORDER BY created_at DESC, id DESC LIMIT ?', [webhookId, limit])
      ).map(toDelivery),
    getDelivery: async (id) => {
      const r = await one('SELECT * FROM webhook_deliveries WHERE id = ?', [id]);
      return r && toDelivery(r);
    },
    dueDeliveries: async (nowIso, limit) =>
      (await q(`SELECT d.* FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id
        WHERE d.status = 'pending' AND d.next_attempt_at <= ? AND w.enabled = 1 ORDER BY d.next_attempt_at, d.id LIMIT ?`, [nowIso, limit])).map(toDelivery),
    nextDeliveryAt: async () =>
      (await one(`SELECT min(d.next_attempt_at) AS at FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id
        WHERE d.status = 'pending' AND w.enabled = 1`)).at ?? null,
    insertDelivery: async (d) =>
      void (await q(`INSERT INTO webhook_deliveries (id, webhook_id, type, body, created_at, status, attempts, next_attempt_at, last_attempt_at, last_status, last_error)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, [d.id, d.webhookId, d.type, d.body, d.createdAt, d.status, d.attempts, d.nextAttemptAt, d.lastAttemptAt, d.lastStatus, d.lastError])),
    updateDelivery: async (id, cols) => {
      const set = setClause(DELIVERY_COLUMN, cols);
      if (set) await q(`UPDATE webhook_deliveries SET ${set.sql} WHERE id = ?`, [...set.args, id]);
    },
    claimDelivery: async (id, due, leaseUntil) =>
      (await q(`UPDATE webhook_deliveries SET next_attempt_at = ? WHERE id = ? AND status = 'pending' AND next_attempt_at = ?`, [leaseUntil, id, due])).count === 1,

    rulesVersion: async () => (await one('SELECT v FROM rules_version WHERE id = 1'))?.v ?? 0,
    listRules: async () => (await q('SELECT * FROM rules ORDER BY position, created_at, id')).map(toRule),
    getRule: async (id) => {
      const r = await one('SELECT * FROM rules WHERE id = ?', [id]);
      return r && toRule(r);
    },
    insertRule: async (r) => {
      await q('INSERT INTO rules (id, name, enabled, position, trigger_json, where_json, actions_json, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
        [r.id, r.name, r.enabled ? 1 : 0, r.position, r.triggerJson, r.whereJson, r.actionsJson, r.createdAt, r.updatedAt]);
      await bumpRules();
    },
    updateRule: async (id, cols) => {
      const set = setClause(RULE_COLUMN, cols);
      if (set) await q(`UPDATE rules SET ${set.sql} WHERE id = ?`, [...set.args, id]);
      await bumpRules();
    },
    deleteRule: async (id) => {
      await q('DELETE FROM rule_runs WHERE rule_id = ?', [id]);
      await q('DELETE FROM rule_inactive_marks WHERE rule_id = ?', [id]);
      await q('DELETE FROM rules WHERE id = ?', [id]);
      await bumpRules();
    },
    insertRuleRun: async (run) =>
      (await one('INSERT INTO rule_runs (rule_id, at, contact_id, trigger_on, matched, actions_json) VALUES (?, ?, ?, ?, ?, ?) RETURNING id',
        [run.ruleId, run.at, run.contactId, run.trigger, run.matched ? 1 : 0, run.actionsJson])).id,
    listRuleRuns: async (ruleId, { beforeId, limit }) =>
      (await q('SELECT * FROM rule_runs WHERE rule_id = ? AND id < ? ORDER BY id DESC LIMIT ?', [ruleId, beforeId ?? Number.MAX_SAFE_INTEGER, limit])).map(toRun),
    inactiveContacts: async (ruleId, beforeIso, limit) =>
      (await q(`SELECT c.id, c.last_seen_at FROM contacts c WHERE c.merged_into IS NULL AND c.last_seen_at < ?
        AND NOT EXISTS (SELECT 1 FROM rule_inactive_marks m WHERE m.rule_id = ? AND m.contact_id = c.id AND m.last_seen_at = c.last_seen_at)
        ORDER BY c.last_seen_at, c.id LIMIT ?`, [beforeIso, ruleId, limit])).map((r) => ({ id: r.id, lastSeenAt: r.last_seen_at })),
    markInactive: async (ruleId, contactId, lastSeenAt) =>
      void (await q(`INSERT INTO rule_inactive_marks (rule_id, contact_id, last_seen_at) VALUES (?, ?, ?)
        ON CONFLICT (rule_id, contact_id) DO UPDATE SET last_seen_at = excluded.last_seen_at`, [ruleId, contactId, lastSeenAt])),
  };
}
