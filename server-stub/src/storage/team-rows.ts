// The team's rows as records, shared by both engines (sqlite-team.ts, pg-team.ts): one mapping, so they cannot drift.
import type { ActivityRecord, AgentColumns, AgentRecord, ApiTokenRecord } from './store.js';

type Row = Record<string, any>;

/** The team's store methods (both engines implement exactly these). */
export type TeamMethod =
  | 'getAgent' | 'findAgentByEmail' | 'listAgents' | 'countActiveOwners' | 'teamFounder' | 'hasSetupToken' | 'findInvite' | 'pendingInvites'
  | 'findAgentSession' | 'findApiToken' | 'listApiTokens' | 'listActivity' | 'countConversations'
  | 'insertAgent' | 'updateAgent' | 'foundTeam' | 'saveSetupToken' | 'clearSetupTokens' | 'createInvite' | 'useInvite'
  | 'createAgentSession' | 'touchAgentSession' | 'deleteAgentSession' | 'deleteAgentSessions' | 'pruneAgentSessions'
  | 'createApiToken' | 'touchApiToken' | 'revokeApiToken' | 'revokeApiTokensBy' | 'insertActivity' | 'deleteActivity' | 'setConversation' | 'markReadBy';

export const AGENT_COLUMN: Record<keyof AgentColumns, string> = { name: 'name', role: 'role', passwordHash: 'password_hash', disabled: 'disabled', lastActiveAt: 'last_active_at' };
export const toAgent = (r: Row | undefined): AgentRecord | undefined =>
  r && { id: r.id, name: r.name, email: r.email, role: r.role, passwordHash: r.password_hash, disabled: r.disabled === 1, createdAt: r.created_at, lastActiveAt: r.last_active_at };
export const toApiToken = (r: Row | undefined): ApiTokenRecord | undefined =>
  r && { id: r.id, hash: r.hash, name: r.name, role: r.role, createdBy: r.created_by, createdAt: r.created_at, lastUsedAt: r.last_used_at, revokedAt: r.revoked_at };
export const json = (v: unknown) => (v === undefined ? null : JSON.stringify(v));
export const toActivity = (r: Row): ActivityRecord => ({
  id: r.id, contactId: r.contact_id, at: r.at,
  actor: { kind: r.actor_kind, ...(r.actor_id !== null ? { id: r.actor_id } : {}), ...(r.actor_name !== null ? { name: r.actor_name } : {}) },
  change: r.change,
  ...(r.field !== null ? { field: r.field } : {}),
  ...(r.from_json !== null ? { from: JSON.parse(r.from_json) } : {}),
  ...(r.to_json !== null ? { to: JSON.parse(r.to_json) } : {}),
});

