// CONTRACT §8 automation rules: triggers, actions, rule bodies, runs (server validates, console parses).
import { z } from 'zod';
import { boundedText } from './common.js';
import { conditionSchema, type ConditionGroup } from './conditions.js';

const name = z.string().min(1, 'required').max(1000);
const days = z.number().int('whole days').min(1).max(3650);

export const triggerSchema = z.discriminatedUnion('on', [
  z.strictObject({ on: z.literal('contact.created') }),
  /** `fields`: basic field names, `custom.<key>`, `tags`, `note`, `type`; any one of them changing fires the rule. */
  z.strictObject({ on: z.literal('contact.updated'), fields: z.array(z.string().max(80)).max(30).optional() }),
  z.strictObject({ on: z.literal('contact.type_changed'), to: z.enum(['guest', 'lead', 'customer']).optional() }),
  z.strictObject({ on: z.literal('contact.tag_added'), tag: name.optional() }),
  z.strictObject({ on: z.literal('contact.tag_removed'), tag: name.optional() }),
  z.strictObject({ on: z.literal('contact.identified') }),
  z.strictObject({ on: z.literal('message.received') }),
  z.strictObject({ on: z.literal('conversation.resolved') }),
  z.strictObject({ on: z.literal('contact.inactive'), days }),
]);
export type Trigger = z.infer<typeof triggerSchema>;
export const TRIGGER_NAMES = triggerSchema.options.map((o) => o.shape.on.value);

export const actionSchema = z.union([
  z.strictObject({ addTag: name }),
  z.strictObject({ removeTag: name }),
  z.strictObject({ setField: z.strictObject({ key: z.string().max(64), value: z.union([z.string().max(10_000), z.number(), z.boolean()]) }) }),
  z.strictObject({ clearField: z.string().max(64) }),
  z.strictObject({ setType: z.enum(['lead', 'customer']) }),
  z.strictObject({ assign: z.string().min(1).max(64) }),
  z.strictObject({ webhook: z.string().min(1).max(64) }),
]);
export type RuleAction = z.infer<typeof actionSchema>;

export const ruleCreateSchema = z.strictObject({
  name: boundedText(200).refine((n) => n.trim().length > 0, 'required'),
  enabled: z.boolean().default(true),
  trigger: triggerSchema,
  where: conditionSchema.optional(),
  actions: z.array(actionSchema).min(1, 'at least one action').max(20),
  /** Where it goes in the list (0 = first); the end when omitted. */
  position: z.number().int().min(0).optional(),
});
export const rulePatchSchema = z.strictObject({
  name: ruleCreateSchema.shape.name.optional(),
  enabled: z.boolean().optional(),
  trigger: triggerSchema.optional(),
  where: conditionSchema.nullable().optional(),
  actions: ruleCreateSchema.shape.actions.optional(),
  position: z.number().int().min(0).optional(),
});

export const ruleSchema = z.object({
  id: z.string(),
  name: z.string(),
  enabled: z.boolean(),
  position: z.number(),
  trigger: triggerSchema,
  where: z.unknown().transform((v) => v as ConditionGroup | null),
  actions: z.array(actionSchema),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Rule = z.infer<typeof ruleSchema>;
export const ruleListSchema = z.object({ items: z.array(ruleSchema), nextCursor: z.null() });

export const ruleRunSchema = z.object({
  id: z.string(),
  at: z.string(),
  contactId: z.string(),
  trigger: z.string(),
  matched: z.boolean(),
  actions: z.array(z.object({ action: actionSchema, ok: z.boolean(), error: z.string().optional() })),
});
export type RuleRun = z.infer<typeof ruleRunSchema>;
export const ruleRunListSchema = z.object({ items: z.array(ruleRunSchema), nextCursor: z.string().nullable() });
export const dryRunSchema = z.object({ matches: z.number(), sample: z.array(z.string()) });
