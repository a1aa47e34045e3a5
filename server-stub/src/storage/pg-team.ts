// The team's statements on PostgreSQL (issue 11), mirroring sqlite-team.ts statement for statement: agents, setup,
// invites, sessions, API tokens, activity, inbox views. Differences: RETURNING/row counts instead of .changes,
// GREATEST instead of SQLite's two-argument max(), disabled kept as 0/1 INTEGER like SQLite.
import type { PgOps, Query } from './pg-ops.js';
import type { ActivityRecord, AgentColumns } from './store.js';
import { AGENT_COLUMN, json, toActivity, toAgent, toApiToken, type TeamMethod } from './team-rows.js';

export type PgTeamOps = Pick<PgOps, TeamMethod>;

/** A conversation's unread test for one viewer: a visitor message past the viewer's own marker (else the shared one). */
export const PG_UNREAD_MARK = (viewer: boolean) =>
  viewer ? 'coalesce((SELECT rd.seq FROM conversation_reads rd WHERE rd.agent_id = ? AND rd.conversation_id = cv.id), 0)' : 'cv.agent_read_seq';

export function pgTeamOps(q: Query): PgTeamOps {
  const one = async (text: string, args?: unknown[]) => (await q(text, args))[0];
  return {
    getAgent: async (id) => toAgent(await one('SELECT * FROM agents WHERE id = ?', [id])),
    findAgentByEmail: async (email) => toAgent(await one('SELECT * FROM agents WHERE email_lc = ?', [email.trim().toLowerCase()])),
    listAgents: async () => (await q('SELECT * FROM agents ORDER BY created_at, id')).map((r) => toAgent(r)!),
    countActiveOwners: async () => (await one("SELECT count(*) AS n FROM agents WHERE role = 'owner' AND disabled = 0 AND password_hash IS NOT NULL")).n,
    teamFounder: async () => (await one('SELECT owner_id FROM team_founded WHERE id = 1'))?.owner_id ?? null,
    hasSetupToken: async (hash) => (await one('SELECT 1 AS x FROM setup_tokens WHERE hash = ?', [hash])) !== undefined,
    findInvite: async (hash) => {
      const r = await one('SELECT * FROM invites WHERE hash = ?', [hash]);
      return r && { hash: r.hash, agentId: r.agent_id, createdAt: r.created_at, expiresAt: r.expires_at, usedAt: r.used_at };
    },
    pendingInvites: async (nowIso) =>
      new Map((await q('SELECT agent_id, max(expires_at) AS e FROM invites WHERE used_at IS NULL AND expires_at > ? GROUP BY agent_id', [nowIso])).map((r) => [r.agent_id, r.e])),
    findAgentSession: async (hash) => {
      const r = await one('SELECT * FROM agent_sessions WHERE hash = ?', [hash]);
      return r && { hash: r.hash, agentId: r.agent_id, createdAt: r.created_at, lastSeenAt: r.last_seen_at };
    },
    findApiToken: async (hash) => toApiToken(await one('SELECT * FROM api_tokens WHERE hash = ?', [hash])),
    listApiTokens: async () => (await q('SELECT * FROM api_tokens WHERE revoked_at IS NULL ORDER BY created_at, id')).map((r) => toApiToken(r)!),
    listActivity: async (contactId, beforeId, limit) =>
      (beforeId === null
        ? await q('SELECT * FROM activity WHERE contact_id = ? ORDER BY id DESC LIMIT ?', [contactId, limit])
        : await q('SELECT * FROM activity WHERE contact_id = ? AND id < ? ORDER BY id DESC LIMIT ?', [contactId, beforeId, limit])
      ).map(toActivity),
    countConversations: async (viewerId) => {
      const unread = `CASE WHEN EXISTS (SELECT 1 FROM messages u WHERE u.conversation_id = cv.id AND u.author = 'visitor' AND u.seq > ${PG_UNREAD_MARK(viewerId !== null)}) THEN 1 ELSE 0 END`;
      // ?::text: a null viewer must still have a type for PostgreSQL to plan "assignee_id = ?"
      const r = await one(`SELECT
          coalesce(sum(CASE WHEN status = 'open' THEN 1 ELSE 0 END), 0) AS open_all,
          coalesce(sum(CASE WHEN status = 'open' AND assignee_id = ?::text THEN 1 ELSE 0 END), 0) AS mine,
          coalesce(sum(CASE WHEN status = 'open' AND assignee_id IS NULL THEN 1 ELSE 0 END), 0) AS unassigned,
          coalesce(sum(CASE WHEN status = 'resolved' THEN 1 ELSE 0 END), 0) AS resolved,
          coalesce(sum(CASE WHEN status = 'open' THEN unread ELSE 0 END), 0) AS u_all,
          coalesce(sum(CASE WHEN status = 'open' AND assignee_id = ?::text THEN unread ELSE 0 END), 0) AS u_mine,
          coalesce(sum(CASE WHEN status = 'open' AND assignee_id IS NULL THEN unread ELSE 0 END), 0) AS u_unassigned
        FROM (SELECT cv.status, cv.assignee_id, ${unread} AS unread FROM conversations cv) v`,
      [viewerId, viewerId, ...(viewerId !== null ? [viewerId] : [])]);
      // sum() of integers is numeric in PostgreSQL (a string in the driver): back to numbers
      const n = (v: unknown) => Number(v);
      return { mine: n(r.mine), unassigned: n(r.unassigned), all: n(r.open_all), resolved: n(r.resolved), unread: { mine: n(r.u_mine), unassigned: n(r.u_unassigned), all: n(r.u_all) } };
    },

    insertAgent: async (a) =>
      void (await q('INSERT INTO agents (id, name, email, email_lc, role, password_hash, disabled, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
        [a.id, a.name, a.email, a.email.trim().toLowerCase(), a.role, a.passwordHash, a.disabled ? 1 : 0, a.createdAt])),
    updateAgent: async (id, cols) => {
      const entries = (Object.entries(cols) as [keyof AgentColumns, unknown][]).filter(([, v]) => v !== undefined);
      if (!entries.length) return;
      await q(`UPDATE agents SET ${entries.map(([k]) => `${AGENT_COLUMN[k]} = ?`).join(', ')} WHERE id = ?`, [...entries.map(([k, v]) => (k === 'disabled' ? (v ? 1 : 0) : v)), id]);
    },
    foundTeam: async (ownerId, at) => (await q('INSERT INTO team_founded (id, owner_id, at) VALUES (1, ?, ?) ON CONFLICT (id) DO NOTHING', [ownerId, at])).count === 1,
    saveSetupToken: async (hash, at) => {
      await q('DELETE FROM setup_tokens');
      await q('INSERT INTO setup_tokens (hash, created_at) VALUES (?, ?)', [hash, at]);
    },
    clearSetupTokens: async () => void (await q('DELETE FROM setup_tokens')),
    createInvite: async (i) => void (await q('INSERT INTO invites (hash, agent_id, created_at, expires_at) VALUES (?, ?, ?, ?)', [i.hash, i.agentId, i.createdAt, i.expiresAt])),
    useInvite: async (hash, at) => (await q('UPDATE invites SET used_at = ? WHERE hash = ? AND used_at IS NULL', [at, hash])).count === 1,
    createAgentSession: async (s) => void (await q('INSERT INTO agent_sessions (hash, agent_id, created_at, last_seen_at) VALUES (?, ?, ?, ?)', [s.hash, s.agentId, s.createdAt, s.lastSeenAt])),
    touchAgentSession: async (hash, at) => void (await q('UPDATE agent_sessions SET last_seen_at = ? WHERE hash = ?', [at, hash])),
    deleteAgentSession: async (hash) => void (await q('DELETE FROM agent_sessions WHERE hash = ?', [hash])),
    pruneAgentSessions: async (idleBefore, createdBefore) => (await q('DELETE FROM agent_sessions WHERE last_seen_at < ? OR created_at < ?', [idleBefore, createdBefore])).count,
    deleteActivity: async (contactId) => (await q('DELETE FROM activity WHERE contact_id = ?', [contactId])).count,
    deleteAgentSessions: async (agentId, keep) =>
      keep === undefined
        ? (await q('DELETE FROM agent_sessions WHERE agent_id = ?', [agentId])).count
        : (await q('DELETE FROM agent_sessions WHERE agent_id = ? AND hash <> ?', [agentId, keep])).count,
    createApiToken: async (t) => void (await q('INSERT INTO api_tokens (id, hash, name, role, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?)', [t.id, t.hash, t.name, t.role, t.createdBy, t.createdAt])),
    touchApiToken: async (id, at) => void (await q('UPDATE api_tokens SET last_used_at = ? WHERE id = ?', [at, id])),
    revokeApiToken: async (id, at) => (await q('UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL', [at, id])).count === 1,
    revokeApiTokensBy: async (agentId, at) => (await q('UPDATE api_tokens SET revoked_at = ? WHERE created_by = ? AND revoked_at IS NULL', [at, agentId])).count,
    // one statement for the batch (arrays unnested): a merge's trail is one round trip; ORDINALITY keeps the ids in row order
    insertActivity: async (rows) => {
      if (!rows.length) return;
      const col = (f: (a: Omit<ActivityRecord, 'id'>) => unknown) => rows.map(f);
      await q(`INSERT INTO activity (contact_id, at, actor_kind, actor_id, actor_name, change, field, from_json, to_json)
        SELECT c, a, k, i, n, ch, f, fj, tj FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[])
          WITH ORDINALITY AS x(c, a, k, i, n, ch, f, fj, tj, o) ORDER BY o`,
      [col((a) => a.contactId), col((a) => a.at), col((a) => a.actor.kind), col((a) => a.actor.id ?? null), col((a) => a.actor.name ?? null),
        col((a) => a.change), col((a) => a.field ?? null), col((a) => json(a.from)), col((a) => json(a.to))]);
    },
    setConversation: async (id, cols) => {
      if (cols.status !== undefined) await q('UPDATE conversations SET status = ? WHERE id = ?', [cols.status, id]);
      if (cols.assigneeId !== undefined) await q('UPDATE conversations SET assignee_id = ? WHERE id = ?', [cols.assigneeId, id]);
    },
    markReadBy: async (agentId, conversationId, seq) =>
      void (await q('INSERT INTO conversation_reads (agent_id, conversation_id, seq) VALUES (?, ?, ?) ON CONFLICT (agent_id, conversation_id) DO UPDATE SET seq = GREATEST(conversation_reads.seq, excluded.seq)', [agentId, conversationId, seq])),
  };
}
