// Automation rules (CONTRACT §8). A listener on the change bus runs the matching rules in the transaction of the
// change that fired them; their actions go through the contact service as actor `automation`, so the activity
// trail records them and the bus fires again — up to depth 5, never re-firing a rule already in the chain.
// contact.inactive runs on the durable schedule (hourly), after commit, once per contact per inactivity spell.
import type { ConditionGroup } from '../../../widget/src/contract/zod/conditions.js';
import type { RuleAction, Trigger } from '../../../widget/src/contract/zod/rules.js';
import { checkCondition, matches, type CheckedGroup } from '../domain/conditions/index.js';
import { rankOf } from '../domain/contact-type.js';
import { firedBy, triggerMatches } from '../domain/rule-triggers.js';
import { HttpError } from '../http/http-error.js';
import type { RuleRecord } from '../storage/automation-store.js';
import type { Store, Tx } from '../storage/store.js';
import { diffContact, Outbox, type ChangeBus } from './changes.js';
import type { ConversationService } from './conversations.js';
import type { ContactService } from './contacts.js';
import type { Schedule } from './schedule.js';
import { agentContact } from './present.js';
import type { WebhookService } from './webhooks.js';

export const MAX_DEPTH = 5;
export type ParsedRule = { id: string; name: string; enabled: boolean; trigger: Trigger; where: CheckedGroup | null; whereProblem: string | null; actions: RuleAction[] };
export type ActionResult = { action: RuleAction; ok: boolean; error?: string };
export type RuleService = ReturnType<typeof createRuleService>;

/** A rule's stored where, checked against today's custom fields (a field deleted since makes it unusable, not a crash). */
async function parse(tx: Pick<Tx, 'listFields'>, r: RuleRecord): Promise<ParsedRule> {
  let where: CheckedGroup | null = null;
  let whereProblem: string | null = null;
  if (r.whereJson) {
    const types = new Map((await tx.listFields()).map((f) => [f.key, f.type]));
    const checked = checkCondition(JSON.parse(r.whereJson) as ConditionGroup, (k) => types.get(k));
    if (checked.ok) where = checked.where;
    else whereProblem = `where_invalid: ${checked.issues[0].path.join('.')}: ${checked.issues[0].message}`;
  }
  return { id: r.id, name: r.name, enabled: r.enabled, trigger: JSON.parse(r.triggerJson), where, whereProblem, actions: JSON.parse(r.actionsJson) };
}

export function createRuleService(deps: { store: Store; changes: ChangeBus; contacts: ContactService; conversations: ConversationService; webhooks: WebhookService; schedule: Schedule; now?: () => Date }) {
  const { store, changes, contacts, webhooks } = deps;
  const now = deps.now ?? (() => new Date());
  // parsed rules, re-read only when the stored version moved (one tiny read per change on the hot path)
  let cache: { version: number; rules: ParsedRule[] } | null = null;
  // the rule ids already acting in a chain of outboxes: a rule never fires again inside its own chain
  const chains = new WeakMap<Outbox, ReadonlySet<string>>();

  async function enabledRules(tx: Tx): Promise<ParsedRule[]> {
    const version = await tx.rulesVersion();
    if (version === 0) return [];
    if (cache?.version === version) return cache.rules;
    const rules: ParsedRule[] = [];
    for (const r of await tx.listRules()) if (r.enabled) rules.push(await parse(tx, r));
    cache = { version, rules };
    return rules;
  }

  async function apply(tx: Tx, a: RuleAction, contactId: string, out: Outbox): Promise<void> {
    if ('addTag' in a) await contacts.addTag(tx, contactId, a.addTag, out);
    else if ('removeTag' in a) await contacts.removeTag(tx, contactId, a.removeTag, out);
    else if ('setField' in a) await contacts.patch(tx, contactId, { custom: { [a.setField.key]: a.setField.value } }, out);
    else if ('clearField' in a) await contacts.patch(tx, contactId, { custom: { [a.clearField]: null } }, out);
    else if ('setType' in a) {
      const before = await contacts.liveContact(tx, contactId);
      if (rankOf(a.setType) <= rankOf(before.type)) return; // never downward (CONTRACT §8): already there or higher
      if (a.setType === 'customer' && !before.customerId) throw new HttpError(409, 'no_customer_id', 'customer only for a contact that has a customerId');
      await tx.updateContact(contactId, { type: a.setType });
      const after = (await tx.getContact(contactId))!;
      out.push(() => contacts.publishContact(after));
      await changes.emit(tx, out, diffContact(before, after));
    } else if ('assign' in a) {
      // the contact's latest conversation gets the assignee (an inactive agent fails the action, logged)
      const conv = await tx.latestConversation(contactId);
      if (!conv) throw new HttpError(409, 'no_conversation', 'the contact has no conversation to assign');
      await deps.conversations.update(tx, conv.id, { assigneeId: a.assign }, out);
    } else if ('webhook' in a) {
      const w = await tx.getWebhook(a.webhook);
      if (!w) throw new HttpError(404, 'webhook_not_found', 'no such webhook');
      if (!w.enabled) throw new HttpError(409, 'webhook_disabled', 'the webhook is disabled');
      const c = await contacts.liveContact(tx, contactId);
      await webhooks.enqueue(tx, w, 'rule.matched', { contact: agentContact(c) }, out);
    }
  }

  /** Runs one rule for one contact inside tx: where, then each action in its own savepoint; logs the run. */
  async function run(tx: Tx, rule: ParsedRule, contactId: string, on: string, out: Outbox): Promise<ActionResult[] | null> {
    const contact = await tx.getContact(contactId);
    if (!contact || contact.mergedInto) return null;
    const matched = !rule.whereProblem && (!rule.where || matches(contact, rule.where, now()));
    const results: ActionResult[] = [];
    if (matched) {
      const child = out.child({ kind: 'automation', id: rule.id, name: rule.name }, out.depth + 1);
      chains.set(child, new Set([...(chains.get(out) ?? []), rule.id]));
      for (const action of rule.actions) {
        try {
          await tx.savepoint((sp) => apply(sp, action, contactId, child));
          results.push({ action, ok: true });
        } catch (err) {
          // a failed action is undone alone and logged; the others stand
          results.push({ action, ok: false, error: err instanceof HttpError ? err.code : err instanceof Error ? err.message : String(err) });
        }
      }
      out.adopt(child);
    }
    const logged = rule.whereProblem ? [{ action: rule.actions[0], ok: false, error: rule.whereProblem }] : results;
    await tx.insertRuleRun({ ruleId: rule.id, at: now().toISOString(), contactId, trigger: on, matched, actionsJson: JSON.stringify(logged) });
    return results;
  }

  changes.on(async (tx, batch, out) => {
    if (out.depth >= MAX_DEPTH) return; // chains stop at depth 5
    const rules = await enabledRules(tx);
    if (!rules.length) return;
    const chain = chains.get(out);
    for (const [contactId, fired] of firedBy(batch)) {
      for (const rule of rules) {
        if (chain?.has(rule.id) || (out.actor.kind === 'automation' && out.actor.id === rule.id)) continue;
        const hit = fired.find((f) => triggerMatches(rule.trigger, f));
        if (hit) await run(tx, rule, contactId, hit.on, out);
      }
    }
  });

  /** contact.inactive: every enabled inactive rule over the contacts idle for its days, a batch per unit. */
  async function checkInactive(): Promise<number> {
    let fired = 0;
    const rules = await store.read(async (r) => Promise.all((await r.listRules()).filter((x) => x.enabled).map((x) => parse(r, x))));
    for (const rule of rules) {
      if (rule.trigger.on !== 'contact.inactive') continue;
      const before = new Date(now().getTime() - rule.trigger.days * 86_400_000).toISOString();
      for (;;) {
        const idle = await store.read((r) => r.inactiveContacts(rule.id, before, 200));
        if (!idle.length) break;
        const out = new Outbox({ kind: 'automation', id: rule.id, name: rule.name }, 0);
        await store.write(async (tx) => {
          for (const c of idle) {
            await run(tx, rule, c.id, 'contact.inactive', out);
            // marked with the lastSeenAt it fired for: the next spell (seen again, then idle) fires again
            await tx.markInactive(rule.id, c.id, c.lastSeenAt);
          }
        });
        out.flush();
        fired += idle.length;
      }
    }
    return fired;
  }
  deps.schedule.every('rules.contact-inactive', 3600_000, async () => void (await checkInactive()));

  return {
    parse,
    run,
    checkInactive,
  };
}
