// Agent accounts (CONTRACT §6): first-run setup, invitations, sign-in sessions, role changes, disable, API tokens.
// Passwords are hashed before a unit starts (scrypt is slow and async: THE TRANSACTION RULE); secrets (session
// ids, invite/setup/API tokens) are 256 random bits of which only the SHA-256 is stored.
import { randomBytes } from 'node:crypto';
import type { Hub } from '../live/hub.js';
import { SESSION_ABSOLUTE_MS, SESSION_IDLE_MS } from '../http/agent-session.js';
import { HttpError } from '../http/http-error.js';
import type { RateLimiter } from '../http/rate-limit.js';
import type { AgentRecord, Role, Store, Tx } from '../storage/store.js';
import { hashToken } from './ids.js';
import { dummyHash, hashPassword, verifyPassword } from './passwords.js';
import type { PresenceService } from './presence.js';

export const INVITE_TTL_MS = 7 * 24 * 3600_000;
const secret = () => randomBytes(32).toString('base64url');
const newAgentId = () => 'ag_' + randomBytes(12).toString('base64url');
const newApiTokenId = () => 'tk_' + randomBytes(9).toString('base64url');
/** API tokens say what they are, so a leaked one is recognisable in logs and secret scanners. */
const newApiToken = () => 'chv_' + secret();
const emailKey = (email: string) => email.trim().toLowerCase();

export type AccountService = ReturnType<typeof createAccounts>;

/** The public agent shape (never the password hash). */
export function presentAgent(a: AgentRecord, extra: { presence?: string; pending?: boolean } = {}) {
  return {
    id: a.id, name: a.name, email: a.email, role: a.role, disabled: a.disabled, createdAt: a.createdAt, lastActiveAt: a.lastActiveAt,
    pending: extra.pending ?? a.passwordHash === null,
    ...(extra.presence ? { presence: extra.presence } : {}),
  };
}

/** A duplicate email: SQLite and PostgreSQL both name the unique constraint in the message. */
const isDuplicate = (err: unknown) => err instanceof Error && /UNIQUE|unique|duplicate/.test(err.message);

export function createAccounts(deps: { store: Store; hub: Hub; limiter: RateLimiter; presence: PresenceService; now?: () => number }) {
  const { store, hub, limiter } = deps;
  const now = deps.now ?? Date.now;
  const iso = () => new Date(now()).toISOString();
  void dummyHash(); // made now, so the first unknown email costs what every later one does

  /** A new session for the agent (a fresh id every sign-in: fixation), ending `replacing` if the browser had one. */
  async function startSession(tx: Tx, agentId: string, replacing: string | undefined): Promise<string> {
    if (replacing) await tx.deleteAgentSession(hashToken(replacing));
    const id = secret();
    const at = iso();
    await tx.createAgentSession({ hash: hashToken(id), agentId, createdAt: at, lastSeenAt: at });
    await tx.updateAgent(agentId, { lastActiveAt: at });
    return id;
  }

  /** Ends the live streams opened with a credential (after the commit that ended it): `agent:<id>`, `session:<hash>`, `apitoken:<id>`. */
  const endStreams = (topic: string) => hub.publish(topic, { kind: 'revoked' });

  /** Refuses a one-time token guessed too often from this address (the bucket is checked before any lookup). */
  const guard = (ip: string) => limiter.check('agentFailuresPerIp', ip);

  return {
    /** Deletes sessions past their idle or absolute end (they are refused anyway; main.ts runs this hourly). */
    pruneSessions(): Promise<number> {
      return store.write((tx) => tx.pruneAgentSessions(new Date(now() - SESSION_IDLE_MS).toISOString(), new Date(now() - SESSION_ABSOLUTE_MS).toISOString()));
    },

    /** No owner yet (the first-run setup is open). */
    async setupNeeded(): Promise<boolean> {
      return store.read(async (r) => (await r.teamFounder()) === null && (await r.countActiveOwners()) === 0);
    },

    /**
     * At start (main.ts): with CHATIVE_OWNER_EMAIL + _PASSWORD and no owner, creates it (two instances racing agree:
     * team_founded holds one row); else, with no owner, a one-time setup token whose link is printed. Null: set up.
     */
    async prepare(env: { ownerEmail?: string; ownerPassword?: string }): Promise<{ created?: string; setupToken?: string } | null> {
      if (!(await this.setupNeeded())) return null;
      if (env.ownerEmail && env.ownerPassword) {
        const passwordHash = await hashPassword(env.ownerPassword);
        const made = await store.write(async (tx) => {
          if ((await tx.teamFounder()) !== null) return false;
          const id = newAgentId();
          await tx.insertAgent({ id, name: env.ownerEmail!.split('@')[0], email: env.ownerEmail!.trim(), role: 'owner', passwordHash, disabled: false, createdAt: iso() });
          if (!(await tx.foundTeam(id, iso()))) throw new HttpError(409, 'already_set_up', 'the team has an owner');
          await tx.clearSetupTokens();
          return true;
        }).catch((err) => {
          // the other instance won the race (same email or the founding row): it is set up all the same
          if (err instanceof HttpError || isDuplicate(err)) return false;
          throw err;
        });
        return made ? { created: env.ownerEmail } : null;
      }
      const token = secret();
      await store.write((tx) => tx.saveSetupToken(hashToken(token), iso()));
      return { setupToken: token };
    },

    /** POST /v1/setup: the first owner, once; signs them in. */
    async setup(body: { token: string; name: string; email: string; password: string }, ip: string, replacing: string | undefined) {
      guard(ip);
      const passwordHash = await hashPassword(body.password);
      try {
        return await store.write(async (tx) => {
          if ((await tx.teamFounder()) !== null) throw new HttpError(409, 'already_set_up', 'the team already has an owner: sign in instead');
          if (!(await tx.hasSetupToken(hashToken(body.token)))) throw new HttpError(403, 'invalid_setup_token', 'this setup link is not valid (restart the server for a new one)');
          const agent: AgentRecord = { id: newAgentId(), name: body.name.trim(), email: body.email.trim(), role: 'owner', passwordHash, disabled: false, createdAt: iso(), lastActiveAt: null };
          await tx.insertAgent(agent);
          await tx.foundTeam(agent.id, agent.createdAt);
          await tx.clearSetupTokens();
          const sessionId = await startSession(tx, agent.id, replacing);
          return { agent: (await tx.getAgent(agent.id))!, sessionId };
        });
      } catch (err) {
        if (err instanceof HttpError && err.code === 'invalid_setup_token') limiter.take('agentFailuresPerIp', ip);
        throw err;
      }
    },

    /**
     * POST /v1/auth/login. Unknown email, wrong password, pending or disabled account: the same 401 after the same
     * work (one scrypt); failures are counted per address and per account, checked before any work.
     */
    async login(email: string, password: string, ip: string, replacing: string | undefined) {
      const key = emailKey(email);
      const slow = (err: unknown) => {
        if (!(err instanceof HttpError)) throw err;
        throw new HttpError(429, 'rate_limited', `too many failed sign-ins: retry in ${err.headers?.['retry-after'] ?? 'a few '}s`, undefined, err.headers);
      };
      try {
        limiter.check('loginFailuresPerIp', ip);
        limiter.check('loginFailuresPerAccount', key);
      } catch (err) {
        slow(err);
      }
      const agent = await store.read((r) => r.findAgentByEmail(key));
      const ok = await verifyPassword(password, agent?.passwordHash ?? (await dummyHash()));
      if (!agent || !ok || agent.disabled || !agent.passwordHash) {
        limiter.take('loginFailuresPerIp', ip);
        limiter.take('loginFailuresPerAccount', key);
        throw new HttpError(401, 'invalid_credentials', 'wrong email or password');
      }
      const sessionId = await store.write((tx) => startSession(tx, agent.id, replacing));
      return { agent: { ...agent, lastActiveAt: iso() }, sessionId };
    },

    async logout(sessionHash: string | undefined) {
      if (!sessionHash) return;
      await store.write((tx) => tx.deleteAgentSession(sessionHash));
      endStreams(`session:${sessionHash}`);
    },

    /** Ends every session of the agent (sign out everywhere) and their streams; answers how many ended. */
    async logoutAll(agentId: string) {
      const n = await store.write((tx) => tx.deleteAgentSessions(agentId));
      endStreams(`agent:${agentId}`);
      return n;
    },

    /** POST /v1/agents: a pending account and its one-time link (`origin` + /console/#/invite?token=…). */
    async invite(by: Role, body: { name: string; email: string; role: Role }, origin: string) {
      if (body.role === 'owner' && by !== 'owner') throw new HttpError(403, 'forbidden', 'only an owner can make an owner');
      const token = secret();
      const at = iso();
      const expiresAt = new Date(now() + INVITE_TTL_MS).toISOString();
      const agent: AgentRecord = { id: newAgentId(), name: body.name.trim(), email: body.email.trim(), role: body.role, passwordHash: null, disabled: false, createdAt: at, lastActiveAt: null };
      await store.write(async (tx) => {
        if (await tx.findAgentByEmail(agent.email)) throw new HttpError(409, 'email_taken', 'an agent with this email exists', [{ path: ['email'], message: 'already on the team' }]);
        await tx.insertAgent(agent);
        await tx.createInvite({ hash: hashToken(token), agentId: agent.id, createdAt: at, expiresAt });
      });
      return { agent, invite: { url: `${origin}/console/#/invite?token=${token}`, expiresAt } };
    },

    /** POST /v1/agents/:id/invite: a fresh link for an account that has not accepted yet (older links stay valid until used or expired). */
    async reinvite(by: Role, id: string, origin: string) {
      const token = secret();
      const at = iso();
      const expiresAt = new Date(now() + INVITE_TTL_MS).toISOString();
      await store.write(async (tx) => {
        const a = await tx.getAgent(id);
        if (!a) throw new HttpError(404, 'agent_not_found', 'no such agent');
        if (a.role === 'owner' && by !== 'owner') throw new HttpError(403, 'forbidden', 'only an owner can invite an owner');
        if (a.passwordHash !== null) throw new HttpError(409, 'already_active', 'this agent has already accepted an invitation');
        await tx.createInvite({ hash: hashToken(token), agentId: id, createdAt: at, expiresAt });
      });
      return { url: `${origin}/console/#/invite?token=${token}`, expiresAt };
    },

    /** POST /v1/invites/accept: sets the password, makes the account active and signs it in; the link works once. */
    async accept(body: { token: string; password: string; name?: string }, ip: string, replacing: string | undefined) {
      guard(ip);
      const hash = hashToken(body.token);
      const invite = await store.read((r) => r.findInvite(hash));
      if (!invite) {
        limiter.take('agentFailuresPerIp', ip);
        throw new HttpError(404, 'invite_not_found', 'this invitation link is not valid');
      }
      const passwordHash = await hashPassword(body.password);
      return store.write(async (tx) => {
        const agent = await tx.getAgent(invite.agentId);
        if (Date.parse(invite.expiresAt) <= now()) throw new HttpError(409, 'invite_expired', 'this invitation has expired: ask for a new one');
        if (!agent || agent.disabled) throw new HttpError(409, 'invite_revoked', 'this account was disabled');
        if (agent.passwordHash !== null || !(await tx.useInvite(hash, iso()))) throw new HttpError(409, 'invite_used', 'this invitation was already used: sign in instead');
        await tx.updateAgent(agent.id, { passwordHash, ...(body.name ? { name: body.name.trim() } : {}) });
        const sessionId = await startSession(tx, agent.id, replacing);
        return { agent: (await tx.getAgent(agent.id))!, sessionId };
      });
    },

    /**
     * PATCH /v1/agents/:id. Non-owners cannot touch owners or make one (403); the last active owner cannot be
     * demoted or disabled (409); disabling ends the agent's sessions, API tokens and streams at once.
     */
    async patch(by: Role, id: string, patch: { name?: string; role?: Role; disabled?: boolean }) {
      const agent = await store.write(async (tx) => {
        const a = await tx.getAgent(id);
        if (!a) throw new HttpError(404, 'agent_not_found', 'no such agent');
        if (by !== 'owner' && (a.role === 'owner' || patch.role === 'owner')) throw new HttpError(403, 'forbidden', 'only an owner can change an owner or make one');
        const losesOwner = a.role === 'owner' && !a.disabled && a.passwordHash !== null && ((patch.role && patch.role !== 'owner') || patch.disabled === true);
        if (losesOwner && (await tx.countActiveOwners()) <= 1) throw new HttpError(409, 'last_owner', 'the last active owner cannot be demoted or disabled: make someone else owner first');
        await tx.updateAgent(id, { name: patch.name?.trim(), role: patch.role, disabled: patch.disabled });
        if (patch.disabled === true) {
          await tx.deleteAgentSessions(id);
          await tx.revokeApiTokensBy(id, iso());
        }
        return (await tx.getAgent(id))!;
      });
      if (patch.disabled === true) endStreams(`agent:${id}`);
      return agent;
    },

    /** PATCH /v1/me: name, password (checks the current one; ends the other sessions), away. */
    async patchMe(agent: AgentRecord, sessionHash: string | undefined, patch: { name?: string; password?: { current: string; next: string }; away?: boolean }) {
      let passwordHash: string | undefined;
      if (patch.password) {
        limiter.check('loginFailuresPerAccount', emailKey(agent.email));
        if (!(await verifyPassword(patch.password.current, agent.passwordHash ?? (await dummyHash())))) {
          limiter.take('loginFailuresPerAccount', emailKey(agent.email));
          throw new HttpError(400, 'validation_failed', 'password.current: wrong password', [{ path: ['password', 'current'], message: 'wrong password' }]);
        }
        passwordHash = await hashPassword(patch.password.next);
      }
      const updated = await store.write(async (tx) => {
        await tx.updateAgent(agent.id, { name: patch.name?.trim(), passwordHash });
        // a changed password ends every other session: whoever knew the old one is out
        if (passwordHash) await tx.deleteAgentSessions(agent.id, sessionHash);
        return (await tx.getAgent(agent.id))!;
      });
      if (passwordHash) endStreams(`agent:${agent.id}`); // the console reconnects with its still-valid cookie
      if (patch.away !== undefined) deps.presence.setAway(agent.id, patch.away);
      return updated;
    },

    /** POST /v1/api-tokens: the token is in the answer only. */
    async createApiToken(by: { role: Role; agentId: string | null }, body: { name: string; role: Role }) {
      if (!(by.role === 'owner' || body.role !== 'owner')) throw new HttpError(403, 'forbidden', 'only an owner can make an owner-level token');
      const token = newApiToken();
      const rec = { id: newApiTokenId(), hash: hashToken(token), name: body.name.trim(), role: body.role, createdBy: by.agentId, createdAt: iso() };
      await store.write((tx) => tx.createApiToken(rec));
      return { id: rec.id, name: rec.name, role: rec.role, token };
    },

    async revokeApiToken(by: Role, id: string) {
      await store.write(async (tx) => {
        const live = (await tx.listApiTokens()).find((t) => t.id === id);
        if (!live) throw new HttpError(404, 'token_not_found', 'no such API token');
        if (live.role === 'owner' && by !== 'owner') throw new HttpError(403, 'forbidden', 'only an owner can revoke an owner-level token');
        await tx.revokeApiToken(id, iso());
      });
      endStreams(`apitoken:${id}`);
    },
  };
}
