// CONTRACT §7 as zod: the shape of a condition tree, saved segments, search and bulk bodies, jobs. The shape is
// checked here (paths point at the offending node); field types and operator fit need the custom-field
// definitions and are checked by the server's domain/conditions (paths point at the leaf).
import { z } from 'zod';
import { CONDITION_LIMITS, SORT_FIELDS } from '../conditions.js';
import { boundedText } from './common.js';
import { agentContactSchema } from './responses.js';

export type ConditionLeaf = { field: string; op: string; value?: unknown };
export type ConditionGroup = { all: ConditionNode[] } | { any: ConditionNode[] };
export type ConditionNode = ConditionGroup | ConditionLeaf;

type Ctx = z.core.$RefinementCtx;
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Walks the tree: groups of one key `all`/`any`, leaves of `field`, `op`, `value?`; depth and leaf budget. */
function checkShape(node: unknown, ctx: Ctx, path: (string | number)[], depth: number, seen: { leaves: number }) {
  const issue = (message: string, at = path) => ctx.addIssue({ code: 'custom', message, path: at });
  if (!isObject(node)) return issue(depth === 1 ? 'expected {"all": [...]} or {"any": [...]}' : 'expected a group or a {field, op, value} leaf');
  const keys = Object.keys(node);
  const group = keys.length === 1 && (keys[0] === 'all' || keys[0] === 'any') ? keys[0] : null;
  if (group) {
    if (depth > CONDITION_LIMITS.depth) return issue(`groups nest at most ${CONDITION_LIMITS.depth} deep`);
    const list = node[group];
    if (!Array.isArray(list)) return issue('expected a list', [...path, group]);
    list.forEach((child, i) => checkShape(child, ctx, [...path, group, i], depth + 1, seen));
    return;
  }
  if (depth === 1) return issue('expected {"all": [...]} or {"any": [...]}');
  for (const k of keys) if (k !== 'field' && k !== 'op' && k !== 'value') issue('unknown key', [...path, k]);
  if (typeof node.field !== 'string' || node.field.length > 80) issue('expected a field name', [...path, 'field']);
  if (typeof node.op !== 'string' || node.op.length > 40) issue('expected an operator', [...path, 'op']);
  if (++seen.leaves === CONDITION_LIMITS.leaves + 1) issue(`at most ${CONDITION_LIMITS.leaves} conditions`);
}

/** A condition: `{"all": [...]}` or `{"any": [...]}` with `{field, op, value?}` leaves. */
export const conditionSchema = z
  .unknown()
  .superRefine((v, ctx) => checkShape(v, ctx, [], 1, { leaves: 0 }))
  .transform((v) => v as ConditionGroup);

const sortFieldSchema = z.union([z.enum(SORT_FIELDS), z.string().regex(/^custom\.[a-z][a-z0-9_]{0,63}$/, 'a sortable field or custom.<key>')]);
export const sortSchema = z.strictObject({ field: sortFieldSchema, dir: z.enum(['asc', 'desc']).default('desc') });
export const segmentIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'not a segment id');

export const searchBodySchema = z.strictObject({
  where: conditionSchema.optional(),
  segmentId: segmentIdSchema.optional(),
  sort: sortSchema.optional(),
  cursor: z.string().max(2000).optional(),
  limit: z.number().int().min(1).max(200).default(50),
});
// totalExact false: `total` is an estimate (docs/CONDITIONS.md "Performance"); absent from older servers, so optional
export const searchResponseSchema = z.object({ items: z.array(agentContactSchema), nextCursor: z.string().nullable(), total: z.number(), totalExact: z.boolean().optional() });

export const segmentCreateSchema = z.strictObject({ name: boundedText(100).refine((n) => n.trim().length > 0, 'required'), where: conditionSchema });
export const segmentPatchSchema = z.strictObject({ name: segmentCreateSchema.shape.name.optional(), where: conditionSchema.optional() });
export const segmentSchema = z.object({ id: z.string(), name: z.string(), where: z.unknown().transform((v) => v as ConditionGroup), count: z.number(), outdated: z.boolean().optional(), createdAt: z.string(), updatedAt: z.string() });
export const segmentListSchema = z.object({ items: z.array(segmentSchema) });

export const bulkActionSchema = z.union([
  z.strictObject({ addTag: z.string().max(1000) }),
  z.strictObject({ removeTag: z.string().max(1000) }),
  z.strictObject({ setField: z.strictObject({ key: z.string().max(64), value: z.unknown() }) }),
  z.strictObject({ erase: z.literal(true) }),
]);
export type BulkAction = z.infer<typeof bulkActionSchema>;
export const bulkBodySchema = z.strictObject({
  id: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'a client-made id of 8-64 characters A-Z a-z 0-9 _ -'),
  where: conditionSchema.optional(),
  segmentId: segmentIdSchema.optional(),
  action: bulkActionSchema,
});

export const jobErrorSchema = z.object({ code: z.string(), message: z.string(), contactId: z.string().optional(), row: z.number().optional(), column: z.string().optional() });
export const jobSchema = z.object({
  id: z.string(),
  kind: z.string(),
  status: z.enum(['running', 'done', 'failed']),
  done: z.number(),
  total: z.number(),
  /** The first errors (at most 100 kept); `errorCount` counts them all. */
  errors: z.array(jobErrorSchema),
  errorCount: z.number(),
  result: z.unknown().optional(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
});
export type Job = z.infer<typeof jobSchema>;
