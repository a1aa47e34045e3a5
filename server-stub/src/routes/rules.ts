// Agent API: automation rules (CONTRACT §8) — the list in order, the editor's saves, the run log, the dry run.
// Admin-only (CONTRACT §6 roles).
import { role } from '../http/auth.js';
import { Hono } from 'hono';
import { randomBytes } from 'node:crypto';
import { limitSchema } from '../../../widget/src/contract/zod/agent.js';
import type { ConditionGroup } from '../../../widget/src/contract/zod/conditions.js';
import { ruleCreateSchema, rulePatchSchema, type RuleAction } from '../../../widget/src/contract/zod/rules.js';
import { checkCondition, DEFAULT_SORT } from '../domain/conditions/index.js';
import { checkFieldValue } from '../domain/custom-fields.js';
import type { AppEnv } from '../http/env.js';
import { HttpError, validationError, type Issue } from '../http/http-error.js';
import { parseWith, readJson } from '../http/read-json.js';
import type { RuleRecord } from '../storage/automation-store.js';
import type { Reader, Tx } from '../storage/store.js';
import type { Services } from '../services/index.js';

const newRuleId = () => 'ru_' + randomBytes(12).toString('base64url');

export function presentRule(r: RuleRecord) {
  return {
    id: r.id, name: r.name, enabled: r.enabled, position: r.position, trigger: JSON.parse(r.triggerJson),
    where: r.whereJson ? JSON.parse(r.whereJson) : null, actions: JSON.parse(r.actionsJson), createdAt: r.createdAt, updatedAt: r.updatedAt,
  };
}

async function ruleOr404(db: Pick<Reader, 'getRule'>, id: string): Promise<RuleRecord> {
  const r = await db.getRule(id);
  if (!r) throw new HttpError(404, 'rule_not_found', 'no such rule');
  return r;
}

/** What zod cannot know: the where against today's custom fields, field keys and values, webhook ids. All issues at once. */
async function checkAgainstStore(tx: Reader, where: ConditionGroup | null | undefined, actions: RuleAction[] | undefined): Promise<void> {
  const issues: Issue[] = [];
  const fields = new Map((await tx.listFields()).map((f) => [f.key, f.type]));
  if (where) {
    const checked = checkCondition(where, (k) => fields.get(k));
    if (!checked.ok) issues.push(...checked.issues);
  }
  for (const [i, a] of (actions ?? []).entries()) {
    const key = 'setField' in a ? a.setField.key : 'clearField' in a ? a.clearField : null;
    const at = 'setField' in a ? ['actions', i, 'setField', 'key'] : ['actions', i, 'clearField'];
    if (key !== null && !fields.has(key)) issues.push({ path: at, message: `unknown custom field "${key}"` });
    else if ('setField' in a) {
      const checked = checkFieldValue(fields.get(a.setField.key)!, a.setField.value);
      if (!checked.ok) issues.push({ path: ['actions', i, 'setField', 'value'], message: checked.message });
    }
    if ('webhook' in a && !(await tx.getWebhook(a.webhook))) issues.push({ path: ['actions', i, 'webhook'], message: 'no such webhook' });
  }
  if (issues.length) throw validationError(issues);
}

/** Moves rule `id` to `position` (clamped to the end) and renumbers the list 0…n-1. */
async function place(tx: Tx, id: string, position: number | undefined) {
  const list = (await tx.listRules()).map((r) => r.id).filter((x) => x !== id);
  list.splice(Math.min(position ?? list.length, list.length), 0, id);
  const current = new Map((await tx.listRules()).map((r) => [r.id, r.position]));
  for (const [i, rid] of list.entries()) if (current.get(rid) !== i) await tx.updateRule(rid, { position: i });
}

export function ruleRoutes(s: Services) {
  const r = new Hono<AppEnv>();

  // role: admin
  r.get('/v1/rules', role('admin'), async (c) => c.json({ items: (await s.store.read((db) => db.listRules())).map(presentRule), nextCursor: null }));

  // role: admin
  r.post('/v1/rules', role('admin'), async (c) => {
    const body = await readJson(c, ruleCreateSchema);
    const rule = await s.store.write(async (tx) => {
      await checkAgainstStore(tx, body.where, body.actions);
      const at = new Date().toISOString();
      const id = newRuleId();
      await tx.insertRule({
        id, name: body.name.trim(), enabled: body.enabled, position: Number.MAX_SAFE_INTEGER, triggerJson: JSON.stringify(body.trigger),
        whereJson: body.where ? JSON.stringify(body.where) : null, actionsJson: JSON.stringify(body.actions), createdAt: at, updatedAt: at,
      });
      await place(tx, id, body.position);
      return (await tx.getRule(id))!;
    });
    return c.json(presentRule(rule), 201);
  });

  // role: admin
  r.get('/v1/rules/:id', role('admin'), async (c) => c.json(presentRule(await s.store.read((db) => ruleOr404(db, c.req.param('id'))))));

  // role: admin
  r.patch('/v1/rules/:id', role('admin'), async (c) => {
    await s.store.read((db) => ruleOr404(db, c.req.param('id')));
    const body = await readJson(c, rulePatchSchema);
    const rule = await s.store.write(async (tx) => {
      const old = await ruleOr404(tx, c.req.param('id'));
      await checkAgainstStore(tx, body.where, body.actions);
      await tx.updateRule(old.id, {
        name: body.name?.trim(), enabled: body.enabled, triggerJson: body.trigger && JSON.stringify(body.trigger),
        whereJson: body.where === undefined ? undefined : body.where === null ? null : JSON.stringify(body.where),
        actionsJson: body.actions && JSON.stringify(body.actions), updatedAt: new Date().toISOString(),
      });
      if (body.position !== undefined) await place(tx, old.id, body.position);
      return (await tx.getRule(old.id))!;
    });
    return c.json(presentRule(rule));
  });

  // role: admin
  r.delete('/v1/rules/:id', role('admin'), async (c) => {
    await s.store.write(async (tx) => {
      await tx.deleteRule((await ruleOr404(tx, c.req.param('id'))).id);
      await place(tx, '', undefined); // close the gap
    });
    return c.body(null, 204);
  });

  // role: admin
  r.get('/v1/rules/:id/runs', role('admin'), async (c) => {
    const limit = c.req.query('limit') === undefined ? 50 : parseWith(limitSchema, c.req.query('limit'));
    const raw = c.req.query('cursor');
    if (raw !== undefined && !/^\d{1,15}$/.test(raw)) throw new HttpError(400, 'validation_failed', 'cursor: not a cursor from this API', [{ path: ['cursor'], message: 'invalid cursor' }]);
    const rows = await s.store.read(async (db) => db.listRuleRuns((await ruleOr404(db, c.req.param('id'))).id, { beforeId: raw ? Number(raw) : undefined, limit: limit + 1 }));
    const page = rows.slice(0, limit);
    return c.json({
      items: page.map((x) => ({ id: String(x.id), at: x.at, contactId: x.contactId, trigger: x.trigger, matched: x.matched, actions: JSON.parse(x.actionsJson) })),
      nextCursor: rows.length > limit ? String(page[page.length - 1].id) : null,
    });
  });

  // role: admin
  // what the rule's where (and, for contact.inactive, its days) matches among existing contacts; changes nothing
  r.post('/v1/rules/:id/dry-run', role('admin'), async (c) => {
    const answer = await s.store.read(async (db) => {
      const rule = await s.rules.parse(db, await ruleOr404(db, c.req.param('id')));
      if (rule.whereProblem) throw new HttpError(409, 'where_invalid', rule.whereProblem);
      let where = rule.where ?? undefined;
      if (rule.trigger.on === 'contact.inactive') {
        const idle = checkCondition({ all: [{ field: 'lastSeenAt', op: 'more_than_days_ago', value: rule.trigger.days }] }, () => undefined);
        if (idle.ok) where = where ? { all: [where, idle.where] } : idle.where;
      }
      const now = new Date();
      const matches = await db.countMatching(where, now);
      const sample = await db.searchContacts({ where, now, sort: DEFAULT_SORT, limit: 20 });
      return { matches, sample: sample.map((x) => x.contact.id) };
    });
    return c.json(answer);
  });

  return r;
}
