// POST /v1/sync: the batch envelope (a 400 when wrong) and each event type (a `rejected` result when wrong).
import { z } from 'zod';
import { LIMITS } from '../limits.js';
import { EVENT_ID_RE, EVENT_TYPES } from '../rules.js';
import { customerIdProblem, isInvisible } from '../text.js';
import { boundedText, customSchema, detail } from './common.js';

export { EVENT_ID_RE, EVENT_TYPES };

export const batchSchema = z.strictObject({
  events: z
    .array(z.looseObject({ id: z.string().regex(EVENT_ID_RE, 'id must be 8-64 characters of A-Z a-z 0-9 _ -'), type: z.enum(EVENT_TYPES) }))
    .max(LIMITS.eventsPerBatch, `at most ${LIMITS.eventsPerBatch} events per batch`),
});

const details = {
  name: detail(LIMITS.nameChars),
  email: detail(LIMITS.emailChars),
  phone: detail(LIMITS.phoneChars),
  custom: customSchema.optional(),
};
export const detailsSchema = z.strictObject(details);
export type Details = z.infer<typeof detailsSchema>;

const base = { id: z.string() };
export const eventSchema = z.discriminatedUnion('type', [
  z.strictObject({ ...base, type: z.literal('lead'), ...details }),
  z.strictObject({ ...base, type: z.literal('update'), ...details }),
  z.strictObject({
    ...base,
    type: z.literal('identify'),
    customerId: boundedText(LIMITS.customerIdChars).min(1, 'required').superRefine((id, ctx) => {
      const problem = customerIdProblem(id);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    }),
    // any type accepted here: a wrong one fails verification (401 semantics), never the parser
    userHash: z.unknown().optional(),
    ...details,
  }),
  z.strictObject({
    ...base,
    type: z.literal('message'),
    text: boundedText(LIMITS.messageChars).refine((t) => !isInvisible(t), 'message is empty (only spaces or invisible characters)'),
    conversationId: z.string().max(64).optional(),
  }),
]);
export type SyncEvent = z.infer<typeof eventSchema>;
