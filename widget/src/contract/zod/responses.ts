// Every response body of the HTTP API as zod (PROTOCOL.md "Shapes", CONTRACT §1/§5); the console
// safeParses what it receives with these, and tests hold the server's answers to them.
import { z } from 'zod';
import { CONTACT_TYPES, FIELD_TYPES } from '../rules.js';

export const contactTypeSchema = z.enum(CONTACT_TYPES);
export const fieldTypeSchema = z.enum(FIELD_TYPES);
export const customValueSchema = z.union([z.string(), z.number(), z.boolean(), z.null()]);

const issueSchema = z.object({ path: z.array(z.union([z.string(), z.number()])), message: z.string() });
/** `{"error":{code,message,issues?}}` — every 4xx/5xx. */
export const errorResponseSchema = z.object({ error: z.object({ code: z.string(), message: z.string(), issues: z.array(issueSchema).optional() }) });

/** The contact as the visitor's own widget sees it: no agent-only data. */
export const widgetContactSchema = z.object({
  id: z.string(),
  type: contactTypeSchema,
  name: z.string().nullable(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  timezone: z.string().nullable(),
  customerId: z.string().nullable(),
  custom: z.record(z.string(), customValueSchema),
  createdAt: z.string(),
  lastSeenAt: z.string().nullable(),
});

/** The contact as agents see it; `mergedInto` is never set on a live contact. */
export const agentContactSchema = widgetContactSchema.extend({
  tags: z.array(z.string()),
  note: z.string().nullable(),
  locale: z.string().nullable(),
  verified: z.boolean().nullable(),
  possibleDuplicateOf: z.string().nullable(),
  /** Values that lost a merge (name, email, phone, custom.KEY), kept on the survivor and searchable. */
  otherDetails: z.array(z.object({ field: z.string(), value: z.string(), from: z.string() })),
  mergedInto: z.undefined().optional(),
});
/** A merged-away contact: only the tombstone pointing at the survivor. */
export const mergedContactSchema = z.object({ id: z.string(), mergedInto: z.string() });
/** GET /v1/contacts/:id and the contact writes: a contact or its merge tombstone. */
export const contactLookupSchema = z.union([agentContactSchema, mergedContactSchema]);

export const messageSchema = z.object({
  id: z.string(),
  seq: z.number().int(),
  conversationId: z.string(),
  author: z.enum(['visitor', 'agent']),
  /** CONTRACT §3/§6: the answering agent's display name (until accounts exist, the site's name is shown instead). */
  agentName: z.string().nullable().optional(),
  text: z.string(),
  createdAt: z.string(),
});
/** A message on the agent stream also names its contact. */
export const agentMessageSchema = messageSchema.extend({ contactId: z.string() });

/** A page of a list endpoint. */
export const pageSchema = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), nextCursor: z.string().nullable() });

// --- widget endpoints ---
export const formFieldSchema = z.object({ key: z.string(), label: z.string(), type: z.string(), required: z.boolean(), custom: z.literal(true).optional() });
/** GET /v1/sites/:siteId/config */
export const siteConfigSchema = z.object({
  siteId: z.string(),
  color: z.string(),
  greeting: z.string(),
  position: z.enum(['left', 'right']),
  form: z.object({ enabled: z.boolean(), fields: z.array(formFieldSchema), emailOrPhone: z.boolean() }),
  verification: z.boolean(),
  /** The team's name: `agentName` on agent messages until agents have accounts. */
  name: z.string(),
  /** The greeting by language (BCP 47 primary tag), the site's own words over the translated default. */
  greetings: z.record(z.string(), z.string()),
  theme: z.enum(['auto', 'light', 'dark']),
  /** A chime on a new agent message while the chat is closed or the tab hidden (the owner's choice). */
  sound: z.boolean(),
});
/** POST /v1/sessions (201) and GET /v1/session (no token). */
export const sessionSchema = z.object({ token: z.string().optional(), contact: widgetContactSchema });
const syncResultSchema = z.object({
  id: z.string(),
  status: z.enum(['applied', 'duplicate', 'rejected']),
  error: errorResponseSchema.shape.error.optional(),
  message: messageSchema.optional(),
});
/** POST /v1/sync */
export const syncResponseSchema = z.object({ results: z.array(syncResultSchema), contact: widgetContactSchema });
/** GET /v1/messages */
export const historySchema = pageSchema(messageSchema);

// --- agent endpoints ---
export const countsSchema = z.object({ guest: z.number(), lead: z.number(), customer: z.number(), total: z.number() });
export const customFieldSchema = z.object({
  key: z.string(), name: z.string(), type: fieldTypeSchema,
  inForm: z.boolean(), required: z.boolean(), contactCount: z.number(),
});
export const tagSchema = z.object({ name: z.string(), contactCount: z.number(), createdAt: z.string() });
export const conversationSchema = z.object({
  id: z.string(),
  contactId: z.string(),
  contact: z.object({ id: z.string(), name: z.string().nullable(), type: contactTypeSchema, email: z.string().nullable(), possibleDuplicateOf: z.string().nullable() }).nullable(),
  lastMessage: messageSchema.nullable(),
  lastMessageAt: z.string().nullable(),
  createdAt: z.string(),
  unread: z.number(),
  /** CONTRACT §6 (zod/team.ts has the request side): open | resolved, and the assigned agent's id. */
  status: z.enum(['open', 'resolved']),
  assigneeId: z.string().nullable(),
});
/** GET/PATCH /v1/settings (agent only: includes the secret). */
export const settingsResponseSchema = z.object({
  color: z.string(),
  greeting: z.string(),
  position: z.enum(['left', 'right']),
  form: z.object({ enabled: z.boolean(), fields: z.array(z.object({ key: z.string(), required: z.boolean() })), emailOrPhone: z.boolean() }),
  verification: z.boolean(),
  allowedOrigins: z.array(z.string()),
  /** Read in the visitor's time-zone country first; this one when the zone names none (ISO alpha-2). */
  defaultCountry: z.string().nullable(),
  secret: z.string(),
  /** `environment`: CHATIVE_SITE_SECRET pins the secret (rotation answers 409 secret_managed_by_env). */
  secretSource: z.enum(['environment', 'settings']),
  name: z.string(),
  greetings: z.record(z.string(), z.string()),
  theme: z.enum(['auto', 'light', 'dark']),
  sound: z.boolean(),
});
export const rotatedSecretSchema = z.object({ secret: z.string() });
