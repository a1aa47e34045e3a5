// Agent API bodies (CONTRACT §5 and PROTOCOL.md agent additions).
import { z } from 'zod';
import { FIELD_TYPES } from '../rules.js';
import { LIMITS } from '../limits.js';
import { customerIdProblem, isInvisible } from '../text.js';
import { boundedText, customSchema, detail, timezoneSchema } from './common.js';

export const contactPatchSchema = z.strictObject({
  name: detail(LIMITS.nameChars),
  email: detail(LIMITS.emailChars),
  phone: detail(LIMITS.phoneChars),
  // "" or null unlinks; a blank-but-not-empty id is a mistake, not an unlink
  customerId: detail(LIMITS.customerIdChars).superRefine((id, ctx) => {
    const problem = id ? customerIdProblem(id) : null;
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  }),
  timezone: timezoneSchema.nullable().optional(),
  custom: customSchema.optional(),
});
export type ContactPatch = z.infer<typeof contactPatchSchema>;

export const noteSchema = z.strictObject({ text: boundedText(LIMITS.noteChars) });
export const replySchema = z.strictObject({ text: boundedText(LIMITS.messageChars).refine((t) => !isInvisible(t), 'message is empty (only spaces or invisible characters)') });
export const tagCreateSchema = z.strictObject({ name: z.string().max(1000) });
export const fieldCreateSchema = z.strictObject({
  name: boundedText(100).refine((n) => n.trim().length > 0, 'required'),
  key: z.string().max(64).optional(),
  type: z.enum(FIELD_TYPES),
  inForm: z.boolean().optional(),
  required: z.boolean().optional(),
});
export const fieldPatchSchema = z.strictObject({
  name: boundedText(100).refine((n) => n.trim().length > 0, 'required').optional(),
  inForm: z.boolean().optional(),
  required: z.boolean().optional(),
});
/** Contact ids are opaque base64url-ish strings; anything else cannot match, so it is a 400 rather than an empty page. */
export const contactQuerySchema = z.object({ contactId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1-64 characters of A-Z a-z 0-9 _ -') });
export const limitSchema = z.coerce.number().int('limit must be an integer').min(1).max(200);
