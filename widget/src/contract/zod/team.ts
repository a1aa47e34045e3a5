// CONTRACT §6 "The team" as zod: every request body and answer of accounts, sign-in, setup, invites,
// API tokens, authorship, the inbox (status/assignee/counts) and the activity trail. Server validates
// requests with these; the console safeParses answers with them.
import { z } from 'zod';
import { LIMITS } from '../limits.js';
import { boundedText } from './common.js';
import { messageSchema } from './responses.js';

export const ROLES = ['owner', 'admin', 'agent'] as const;
export const roleSchema = z.enum(ROLES);
export type Role = z.infer<typeof roleSchema>;

/** Passwords: at least 10 characters (CONTRACT §6); capped so hashing a huge body is not a cheap DoS. */
export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 256;
export const passwordSchema = z.string().min(PASSWORD_MIN, `at least ${PASSWORD_MIN} characters`).max(PASSWORD_MAX, `at most ${PASSWORD_MAX} characters`);
const agentName = boundedText(LIMITS.nameChars).refine((n) => n.trim().length > 0, 'required');
const emailField = boundedText(LIMITS.emailChars).refine((e) => /^[^\s@]+@[^\s@]+$/.test(e.trim()), 'not an email address');
/** Opaque one-time secrets (invite, setup): base64url. */
const secretToken = z.string().regex(/^[A-Za-z0-9_-]{16,128}$/, 'not a valid token');

// --- answers ---
export const PRESENCE = ['online', 'away', 'offline'] as const;
export const presenceSchema = z.enum(PRESENCE);
/** An agent account (never its password hash). `presence` is our addition (docs/SERVER.md). */
export const teamAgentSchema = z.object({
  id: z.string(),
  name: z.string(),
  email: z.string(),
  role: roleSchema,
  disabled: z.boolean(),
  createdAt: z.string(),
  lastActiveAt: z.string().nullable(),
  /** `pending`: invited, the invite not accepted yet. */
  pending: z.boolean().optional(),
  presence: presenceSchema.optional(),
});
export type TeamAgent = z.infer<typeof teamAgentSchema>;
export const agentListSchema = z.object({ items: z.array(teamAgentSchema), nextCursor: z.string().nullable() });
export const inviteSchema = z.object({ url: z.string(), expiresAt: z.string() });
/** POST /v1/agents (201) */
export const agentCreatedSchema = z.object({ agent: teamAgentSchema, invite: inviteSchema });
/** POST /v1/auth/login, POST /v1/invites/accept, POST /v1/setup, GET/PATCH /v1/me */
export const signedInSchema = z.object({ agent: teamAgentSchema });
/**
 * GET /v1/me: the caller. `agent` is null for a bearer API token (incl. CHATIVE_AGENT_TOKEN), which has a
 * role but no account; `actor` says who acts.
 */
export const meSchema = z.object({
  agent: teamAgentSchema.nullable(),
  role: roleSchema,
  actor: z.object({ kind: z.enum(['agent', 'api']), id: z.string().optional(), name: z.string().optional() }),
});
/** GET /v1/setup: whether the first-run setup is still open (no owner yet). */
export const setupStateSchema = z.object({ needed: z.boolean() });
export const apiTokenSchema = z.object({
  id: z.string(),
  name: z.string(),
  role: roleSchema,
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  createdBy: z.string().nullable(),
});
export const apiTokenListSchema = z.object({ items: z.array(apiTokenSchema), nextCursor: z.string().nullable() });
/** POST /v1/api-tokens (201): the token is shown this once. */
export const apiTokenCreatedSchema = z.object({ id: z.string(), name: z.string(), role: roleSchema, token: z.string() });

// --- requests ---
export const agentCreateSchema = z.strictObject({ name: agentName, email: emailField, role: roleSchema });
export const agentPatchSchema = z.strictObject({ name: agentName.optional(), role: roleSchema.optional(), disabled: z.boolean().optional() });
export const inviteAcceptSchema = z.strictObject({ token: secretToken, password: passwordSchema, name: agentName.optional() });
export const loginSchema = z.strictObject({ email: boundedText(LIMITS.emailChars), password: z.string().max(PASSWORD_MAX) });
export const setupSchema = z.strictObject({ token: secretToken, name: agentName, email: emailField, password: passwordSchema });
export const mePatchSchema = z.strictObject({
  name: agentName.optional(),
  password: z.strictObject({ current: z.string().max(PASSWORD_MAX), next: passwordSchema }).optional(),
  /** Our addition: an explicit "away" (null/false: back to what the open streams say). */
  away: z.boolean().optional(),
});
export const apiTokenCreateSchema = z.strictObject({ name: agentName, role: roleSchema });

// --- conversations (§6 additions to §5) ---
export const CONVERSATION_STATUSES = ['open', 'resolved'] as const;
export const conversationStatusSchema = z.enum(CONVERSATION_STATUSES);
export const conversationPatchSchema = z.strictObject({
  status: conversationStatusSchema.optional(),
  assigneeId: z.string().max(64).nullable().optional(),
});
/** `?status=&assignee=me|none|<agentId>` on GET /v1/conversations and /counts. */
export const conversationViewQuerySchema = z.object({
  status: conversationStatusSchema.optional(),
  assignee: z.string().regex(/^(me|none|[A-Za-z0-9_-]{1,64})$/, 'me, none or an agent id').optional(),
});
/** GET /v1/conversations/counts: the inbox views' sizes (open ones, except `resolved`) and what the caller has not read. */
export const conversationCountsSchema = z.object({
  mine: z.number().int(),
  unassigned: z.number().int(),
  all: z.number().int(),
  resolved: z.number().int(),
  /** Conversations with a visitor message the caller has not read (per-agent marker); by view. */
  unread: z.object({ mine: z.number().int(), unassigned: z.number().int(), all: z.number().int() }),
});
/** The agent who wrote a message (never an email). */
export const messageAuthorSchema = z.object({ id: z.string(), name: z.string() });
/** A message in the agent API: §5's message plus `agent` on agent-authored ones (null: the env/API token). */
export const teamMessageSchema = messageSchema.extend({ agent: messageAuthorSchema.nullable().optional() });
/** The §6 fields every conversation in the agent API carries. */
export const conversationTeamFields = {
  status: conversationStatusSchema,
  assigneeId: z.string().nullable(),
};

// --- activity ---
export const ACTOR_KINDS = ['visitor', 'host', 'agent', 'api', 'automation', 'import', 'system'] as const;
export const actorSchema = z.object({ kind: z.enum(ACTOR_KINDS), id: z.string().optional(), name: z.string().optional() });
const activityValue = z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(z.string())]);
/** One entry of GET /v1/contacts/:id/activity (newest first). `change` is open-ended (…), hence a string. */
export const activityItemSchema = z.object({
  id: z.string(),
  at: z.string(),
  actor: actorSchema,
  change: z.string(),
  field: z.string().optional(),
  from: activityValue.optional(),
  to: activityValue.optional(),
});
export const activityPageSchema = z.object({ items: z.array(activityItemSchema), nextCursor: z.string().nullable() });

// --- live events on the agent stream ---
/** `presence`: an agent went online / away / offline. */
export const presenceEventSchema = z.object({ agentId: z.string(), presence: presenceSchema });
/** `conversation`: status or assignee changed. */
export const conversationEventSchema = z.object({ id: z.string(), contactId: z.string(), status: conversationStatusSchema, assigneeId: z.string().nullable() });
