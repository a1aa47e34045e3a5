// CONTRACT §8 webhooks: request bodies and answers (the server validates with them, the console parses with them).
import { z } from 'zod';

export const WEBHOOK_EVENTS = [
  'contact.created', 'contact.updated', 'contact.type_changed', 'contact.merged', 'contact.erased', 'message.created', 'conversation.resolved',
] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

const urlSchema = z.string().max(2000, 'at most 2000 characters').refine((u) => {
  try {
    const p = new URL(u).protocol;
    return p === 'http:' || p === 'https:';
  } catch {
    return false;
  }
}, 'must be an http(s) URL');
const eventsSchema = z.array(z.enum(WEBHOOK_EVENTS)).min(1, 'at least one event').max(WEBHOOK_EVENTS.length).refine((e) => new Set(e).size === e.length, 'each event once');

export const webhookCreateSchema = z.strictObject({ url: urlSchema, events: eventsSchema, enabled: z.boolean().optional() });
export const webhookPatchSchema = z.strictObject({ url: urlSchema.optional(), events: eventsSchema.optional(), enabled: z.boolean().optional() });

export const webhookSchema = z.object({
  id: z.string(),
  url: z.string(),
  events: z.array(z.enum(WEBHOOK_EVENTS)),
  enabled: z.boolean(),
  /** `whsec_` + base64 of 32 random bytes (Standard Webhooks). */
  secret: z.string(),
  createdAt: z.string(),
  /** Since when every attempt failed (null: the last one succeeded, or none yet). */
  failingSince: z.string().nullable(),
  /** Why the server disabled it (failing for 24 h); null when enabled or disabled by hand. */
  disabledReason: z.string().nullable(),
});
export type Webhook = z.infer<typeof webhookSchema>;

export const deliverySchema = z.object({
  /** The `webhook-id` header: the same on every attempt and redelivery, so receivers can drop repeats. */
  id: z.string(),
  type: z.enum(WEBHOOK_EVENTS),
  createdAt: z.string(),
  status: z.enum(['pending', 'delivered', 'failed']),
  attempts: z.number(),
  nextAttemptAt: z.string().nullable(),
  lastAttemptAt: z.string().nullable(),
  /** The last answer's HTTP status; null when there was none (timeout, refused, private address). */
  lastStatus: z.number().nullable(),
  lastError: z.string().nullable(),
});
export type Delivery = z.infer<typeof deliverySchema>;

export const webhookListSchema = z.object({ items: z.array(webhookSchema), nextCursor: z.null() });
export const deliveryListSchema = z.object({ items: z.array(deliverySchema), nextCursor: z.string().nullable() });
