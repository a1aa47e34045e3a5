// Automation's rows as records and its SET clauses, shared by both engines (sqlite-automation.ts, pg-automation.ts).
import type { DeliveryColumns, DeliveryRecord, RuleColumns, RuleRecord, RuleRunRecord, WebhookColumns, WebhookRecord } from './automation-store.js';

type Row = Record<string, any>;

export const toWebhook = (r: Row): WebhookRecord => ({
  id: r.id, url: r.url, events: JSON.parse(r.events), enabled: r.enabled === 1, secret: r.secret, createdAt: r.created_at,
  failingSince: r.failing_since, disabledReason: r.disabled_reason,
});
export const toDelivery = (r: Row): DeliveryRecord => ({
  id: r.id, webhookId: r.webhook_id, type: r.type, body: r.body, createdAt: r.created_at, status: r.status, attempts: r.attempts,
  nextAttemptAt: r.next_attempt_at, lastAttemptAt: r.last_attempt_at, lastStatus: r.last_status, lastError: r.last_error,
});
export const WEBHOOK_COLUMN: Record<keyof WebhookColumns, string> = { url: 'url', events: 'events', enabled: 'enabled', secret: 'secret', failingSince: 'failing_since', disabledReason: 'disabled_reason' };
export const DELIVERY_COLUMN: Record<keyof DeliveryColumns, string> = {
  status: 'status', attempts: 'attempts', nextAttemptAt: 'next_attempt_at', lastAttemptAt: 'last_attempt_at', lastStatus: 'last_status', lastError: 'last_error',
};
export const toRule = (r: Row): RuleRecord => ({
  id: r.id, name: r.name, enabled: r.enabled === 1, position: r.position, triggerJson: r.trigger_json, whereJson: r.where_json,
  actionsJson: r.actions_json, createdAt: r.created_at, updatedAt: r.updated_at,
});
export const toRun = (r: Row): RuleRunRecord => ({ id: r.id, ruleId: r.rule_id, at: r.at, contactId: r.contact_id, trigger: r.trigger_on, matched: r.matched === 1, actionsJson: r.actions_json });
export const RULE_COLUMN: Record<keyof RuleColumns, string> = {
  name: 'name', enabled: 'enabled', position: 'position', triggerJson: 'trigger_json', whereJson: 'where_json', actionsJson: 'actions_json', updatedAt: 'updated_at',
};
export const stored = (v: unknown) => (typeof v === 'boolean' ? (v ? 1 : 0) : Array.isArray(v) ? JSON.stringify(v) : v);
/** `UPDATE table SET a = ?, b = ? WHERE id = ?` for the given columns (names come from the maps above, never from input). */
export function setClause<K extends string>(names: Record<K, string>, cols: Partial<Record<K, unknown>>): { sql: string; args: unknown[] } | null {
  const keys = (Object.keys(cols) as K[]).filter((k) => cols[k] !== undefined);
  if (!keys.length) return null;
  return { sql: keys.map((k) => `${names[k]} = ?`).join(', '), args: keys.map((k) => stored(cols[k])) };
}
