// The team (CONTRACT §6): accounts, invitations and API tokens. Owner-only rules (touching owners, making one)
// are checked in services/accounts.ts; the least role of each route is declared beside it.
import { Hono } from 'hono';
import { agentCreateSchema, agentPatchSchema, apiTokenCreateSchema } from '../../../widget/src/contract/zod/team.js';
import { ownOrigin } from '../http/agent-session.js';
import { callerOf, role } from '../http/auth.js';
import type { AppEnv } from '../http/env.js';
import { readJson } from '../http/read-json.js';
import { presentAgent } from '../services/accounts.js';
import type { Services } from '../services/index.js';

export function agentRoutes(s: Services, opts: { publicOrigin?: string }) {
  const r = new Hono<AppEnv>();
  const present = (a: Parameters<typeof presentAgent>[0]) => presentAgent(a, { presence: s.presence.of(a.id) });

  // every agent sees the team (assignee picker, presence); pending = invited, not accepted yet
  r.get('/v1/agents', role('agent'), async (c) => {
    const agents = await s.store.read((db) => db.listAgents());
    return c.json({ items: agents.map(present), nextCursor: null });
  });

  r.post('/v1/agents', role('admin'), async (c) => {
    const body = await readJson(c, agentCreateSchema);
    const { agent, invite } = await s.accounts.invite(callerOf(c).role, body, ownOrigin(c, opts.publicOrigin));
    return c.json({ agent: present(agent), invite }, 201);
  });

  r.patch('/v1/agents/:id', role('admin'), async (c) => {
    const body = await readJson(c, agentPatchSchema);
    return c.json(present(await s.accounts.patch(callerOf(c).role, c.req.param('id'), body)));
  });

  /** A fresh invitation link for an agent who has not accepted yet (the console's "copy link again"). */
  r.post('/v1/agents/:id/invite', role('admin'), async (c) => c.json(await s.accounts.reinvite(callerOf(c).role, c.req.param('id'), ownOrigin(c, opts.publicOrigin)), 201));

  r.get('/v1/api-tokens', role('admin'), async (c) => {
    const tokens = await s.store.read((db) => db.listApiTokens());
    return c.json({ items: tokens.map((t) => ({ id: t.id, name: t.name, role: t.role, createdAt: t.createdAt, lastUsedAt: t.lastUsedAt, createdBy: t.createdBy })), nextCursor: null });
  });

  r.post('/v1/api-tokens', role('admin'), async (c) => {
    const body = await readJson(c, apiTokenCreateSchema);
    const { role: by, agent } = callerOf(c);
    return c.json(await s.accounts.createApiToken({ role: by, agentId: agent?.id ?? null }, body), 201);
  });

  r.delete('/v1/api-tokens/:id', role('admin'), async (c) => {
    await s.accounts.revokeApiToken(callerOf(c).role, c.req.param('id'));
    return c.body(null, 204);
  });

  return r;
}
