// The team's statements (issue 11): agents, setup, invites, sessions, API tokens, activity, inbox views.
// Kept apart from sqlite-store.ts so the contact engine stays readable; plain SQL (portable to PostgreSQL).
import type Database from 'better-sqlite3';
import type { SyncOps } from './sqlite-units.js';
import type { AgentColumns } from './store.js';
import { AGENT_COLUMN, json, toActivity, toAgent, toApiToken, type TeamMethod } from './team-rows.js';

type Row = Record<string, any>;
type TeamOps = Pick<SyncOps, TeamMethod>;

/** A conversation's unread test for one viewer: a visitor message past the viewer's own marker (else the shared one). */
export const UNREAD_MARK = (viewer: boolean) =>
  viewer ? 'coalesce((SELECT rd.seq FROM conversation_reads rd WHERE rd.agent_id = ? AND rd.conversation_id = cv.id), 0)' : 'cv.agent_read_seq';

export function teamOps(st: (sql: string) => Database.Statement): TeamOps {
  return {
    getAgent: (id) => toAgent(st('SELECT * FROM agents WHERE id = ?').get(id) as Row | undefined),
    findAgentByEmail: (email) => toAgent(st('SELECT * FROM agents WHERE email_lc = ?').get(email.trim().toLowerCase()) as Row | undefined),
    listAgents: () => (st('SELECT * FROM agents ORDER BY created_at, id').all() as Row[]).map((r) => toAgent(r)!),
    countActiveOwners: () => (st("SELECT count(*) AS n FROM agents WHERE role = 'owner' AND disabled = 0 AND password_hash IS NOT NULL").get() as Row).n,
    teamFounder: () => (st('SELECT owner_id FROM team_founded WHERE id = 1').get() as Row | undefined)?.owner_id ?? null,
    hasSetupToken: (hash) => st('SELECT 1 FROM setup_tokens WHERE hash = ?').get(hash) !== undefined,
    findInvite: (hash) => {
      const r = st('SELECT * FROM invites WHERE hash = ?').get(hash) as Row | undefined;
      return r && { hash: r.hash, agentId: r.agent_id, createdAt: r.created_at, expiresAt: r.expires_at, usedAt: r.used_at };
    },
    pendingInvites: (nowIso) =>
      new Map((st('SELECT agent_id, max(expires_at) AS e FROM invites WHERE used_at IS NULL AND expires_at > ? GROUP BY agent_id').all(nowIso) as Row[]).map((r) => [r.agent_id, r.e])),
    findAgentSession: (hash) => {
      const r = st('SELECT * FROM agent_sessions WHERE hash = ?').get(hash) as Row | undefined;
      return r && { hash: r.hash, agentId: r.agent_id, createdAt: r.created_at, lastSeenAt: r.last_seen_at };
    },
    findApiToken: (hash) => toApiToken(st('SELECT * FROM api_tokens WHERE hash = ?').get(hash) as Row | undefined),
    listApiTokens: () => (st('SELECT * FROM api_tokens WHERE revoked_at IS NULL ORDER BY created_at, id').all() as Row[]).map((r) => toApiToken(r)!),
    listActivity: (contactId, beforeId, limit) =>
      (beforeId === null
        ? (st('SELECT * FROM activity WHERE contact_id = ? ORDER BY id DESC LIMIT ?').all(contactId, limit) as Row[])
        : (st('SELECT * FROM activity WHERE contact_id = ? AND id < ? ORDER BY id DESC LIMIT ?').all(contactId, beforeId, limit) as Row[])
      ).map(toActivity),
    countConversations: (viewerId) => {
      const unread = `CASE WHEN EXISTS (SELECT 1 FROM messages u WHERE u.conversation_id = cv.id AND u.author = 'visitor' AND u.seq > ${UNREAD_MARK(viewerId !== null)}) THEN 1 ELSE 0 END`;
      const r = st(`SELECT
          coalesce(sum(CASE WHEN status = 'open' THEN 1 ELSE 0 END), 0) AS open_all,
          coalesce(sum(CASE WHEN status = 'open' AND assignee_id = ? THEN 1 ELSE 0 END), 0) AS mine,
          coalesce(sum(CASE WHEN status = 'open' AND assignee_id IS NULL THEN 1 ELSE 0 END), 0) AS unassigned,
          coalesce(sum(CASE WHEN status = 'resolved' THEN 1 ELSE 0 END), 0) AS resolved,
          coalesce(sum(CASE WHEN status = 'open' THEN unread ELSE 0 END), 0) AS u_all,
          coalesce(sum(CASE WHEN status = 'open' AND assignee_id = ? THEN unread ELSE 0 END), 0) AS u_mine,
          coalesce(sum(CASE WHEN status = 'open' AND assignee_id IS NULL THEN unread ELSE 0 END), 0) AS u_unassigned
        FROM (SELECT cv.status, cv.assignee_id, ${unread} AS unread FROM conversations cv) v`)
        .get(viewerId, viewerId, ...(viewerId !== null ? [viewerId] : [])) as Row;
      return { mine: r.mine, unassigned: r.unassigned, all: r.open_all, resolved: r.resolved, unread: { mine: r.u_mine, unassigned: r.u_unassigned, all: r.u_all } };
    },

    insertAgent: (a) =>
      void st('INSERT INTO agents (id, name, email, email_lc, role, password_hash, disabled, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
        .run(a.id, a.name, a.email, a.email.trim().toLowerCase(), a.role, a.passwordHash, a.disabled ? 1 : 0, a.createdAt),
    updateAgent: (id, cols) => {
      const entries = (Object.entries(cols) as [keyof AgentColumns, unknown][]).filter(([, v]) => v !== undefined);
      if (!entries.length) return;
      st(`UPDATE agents SET ${entries.map(([k]) => `${AGENT_COLUMN[k]} = ?`).join(', ')} WHERE id = ?`).run(...entries.map(([k, v]) => (k === 'disabled' ? (v ? 1 : 0) : v)), id);
    },
    foundTeam: (ownerId, at) => st('INSERT INTO team_founded (id, owner_id, at) VALUES (1, ?, ?) ON CONFLICT (id) DO NOTHING').run(ownerId, at).changes === 1,
    saveSetupToken: (hash, at) => {
      st('DELETE FROM setup_tokens').run();
      st('INSERT INTO setup_tokens (hash, created_at) VALUES (?, ?)').run(hash, at);
    },
    clearSetupTokens: () => void st('DELETE FROM setup_tokens').run(),
    createInvite: (i) => void st('INSERT INTO invites (hash, agent_id, created_at, expires_at) VALUES (?, ?, ?, ?)').run(i.hash, i.agentId, i.createdAt, i.expiresAt),
    useInvite: (hash, at) => st('UPDATE invites SET used_at = ? WHERE hash = ? AND used_at IS NULL').run(at, hash).changes === 1,
    createAgentSession: (s) => void st('INSERT INTO agent_sessions (hash, agent_id, created_at, last_seen_at) VALUES (?, ?, ?, ?)').run(s.hash, s.agentId, s.createdAt, s.lastSeenAt),
    touchAgentSession: (hash, at) => void st('UPDATE agent_sessions SET last_seen_at = ? WHERE hash = ?').run(at, hash),
    deleteAgentSession: (hash) => void st('DELETE FROM agent_sessions WHERE hash = ?').run(hash),
    pruneAgentSessions: (idleBefore, createdBefore) => st('DELETE FROM agent_sessions WHERE last_seen_at < ? OR created_at < ?').run(idleBefore, createdBefore).changes,
    deleteAgentSessions: (agentId, keep) =>
      keep === undefined
        ? st('DELETE FROM agent_sessions WHERE agent_id = ?').run(agentId).changes
        : st('DELETE FROM agent_sessions WHERE agent_id = ? AND hash <> ?').run(agentId, keep).changes,
    createApiToken: (t) => void st('INSERT INTO api_tokens (id, hash, name, role, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?)').run(t.id, t.hash, t.name, t.role, t.createdBy, t.createdAt),
    touchApiToken: (id, at) => void st('UPDATE api_tokens SET last_used_at = ? WHERE id = ?').run(at, id),
    revokeApiToken: (id, at) => st('UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL').run(at, id).changes === 1,
    revokeApiTokensBy: (agentId, at) => st('UPDATE api_tokens SET revoked_at = ? WHERE created_by = ? AND revoked_at IS NULL').run(at, agentId).changes,
    insertActivity: (rows) => {
      const ins = st('INSERT INTO activity (contact_id, at, actor_kind, actor_id, actor_name, change, field, from_json, to_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
      for (const a of rows) ins.run(a.contactId, a.at, a.actor.kind, a.actor.id ?? null, a.actor.name ?? null, a.change, a.field ?? null, json(a.from), json(a.to));
    },
    deleteActivity: (contactId) => st('DELETE FROM activity WHERE contact_id = ?').run(contactId).changes,
    setConversation: (id, cols) => {
      if (cols.status !== undefined) st('UPDATE conversations SET status = ? WHERE id = ?').run(cols.status, id);
      if (cols.assigneeId !== undefined) st('UPDATE conversations SET assignee_id = ? WHERE id = ?').run(cols.assigneeId, id);
    },
    markReadBy: (agentId, conversationId, seq) =>
      void st('INSERT INTO conversation_reads (agent_id, conversation_id, seq) VALUES (?, ?, ?) ON CONFLICT (agent_id, conversation_id) DO UPDATE SET seq = max(conversation_reads.seq, excluded.seq)').run(agentId, conversationId, seq),
  };
}

/** The team's read methods (sqlite-units.ts READ_METHODS takes them). */
export const TEAM_READ_METHODS = [
  'getAgent', 'findAgentByEmail', 'listAgents', 'countActiveOwners', 'teamFounder', 'hasSetupToken', 'findInvite', 'pendingInvites',
  'findAgentSession', 'findApiToken', 'listApiTokens', 'listActivity', 'countConversations',
] as const;
