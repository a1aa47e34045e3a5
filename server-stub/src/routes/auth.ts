// Sign-in (CONTRACT §6): `signin` routes take no credentials (login, first-run setup, accepting an invite) and are
// mounted in their own group; `session` routes need one (logout, sign out everywhere, me) and sit in the agent group.
import { Hono } from 'hono';
import { inviteAcceptSchema, loginSchema, mePatchSchema, setupSchema } from '../../../widget/src/contract/zod/team.js';
import { clearSessionCookie, readSessionCookie, setSessionCookie } from '../http/agent-session.js';
import { callerOf, role } from '../http/auth.js';
import { clientIp } from '../http/client-ip.js';
import type { AppEnv } from '../http/env.js';
import { HttpError } from '../http/http-error.js';
import { readJson } from '../http/read-json.js';
import { presentAgent } from '../services/accounts.js';
import type { Services } from '../services/index.js';

export function authRoutes(s: Services, opts: { publicOrigin?: string }) {
  const signin = new Hono<AppEnv>();
  const session = new Hono<AppEnv>();
  const present = (a: Parameters<typeof presentAgent>[0]) => presentAgent(a, { presence: s.presence.of(a.id) });

  signin.post('/v1/auth/login', async (c) => {
    const body = await readJson(c, loginSchema);
    const { agent, sessionId } = await s.accounts.login(body.email, body.password, clientIp(c), readSessionCookie(c));
    setSessionCookie(c, sessionId, opts.publicOrigin);
    return c.json({ agent: present(agent) });
  });

  signin.get('/v1/setup', async (c) => c.json({ needed: await s.accounts.setupNeeded() }));

  signin.post('/v1/setup', async (c) => {
    const body = await readJson(c, setupSchema);
    const { agent, sessionId } = await s.accounts.setup(body, clientIp(c), readSessionCookie(c));
    setSessionCookie(c, sessionId, opts.publicOrigin);
    return c.json({ agent: present(agent) }, 201);
  });

  signin.post('/v1/invites/accept', async (c) => {
    const body = await readJson(c, inviteAcceptSchema);
    const { agent, sessionId } = await s.accounts.accept(body, clientIp(c), readSessionCookie(c));
    setSessionCookie(c, sessionId, opts.publicOrigin);
    return c.json({ agent: present(agent) });
  });

  // a bearer caller has no session: logout is a no-op for it (204 either way)
  session.post('/v1/auth/logout', role('agent'), async (c) => {
    await s.accounts.logout(callerOf(c).sessionHash);
    clearSessionCookie(c, opts.publicOrigin);
    return c.body(null, 204);
  });

  /** Sign out everywhere: every session of the caller's account ends, this one included. */
  session.post('/v1/auth/logout-all', role('agent'), async (c) => {
    const { agent } = callerOf(c);
    if (!agent) throw new HttpError(403, 'not_an_account', 'an API token has no sessions (revoke the token instead)');
    const ended = await s.accounts.logoutAll(agent.id);
    clearSessionCookie(c, opts.publicOrigin);
    return c.json({ ended });
  });

  session.get('/v1/me', role('agent'), (c) => {
    const { agent, role: r, actor } = callerOf(c);
    return c.json({ agent: agent && present(agent), role: r, actor: { kind: actor.kind as 'agent' | 'api', ...(actor.id ? { id: actor.id } : {}), ...(actor.name ? { name: actor.name } : {}) } });
  });

  session.patch('/v1/me', role('agent'), async (c) => {
    const body = await readJson(c, mePatchSchema);
    const { agent, sessionHash } = callerOf(c);
    if (!agent) throw new HttpError(403, 'not_an_account', 'an API token has no profile');
    return c.json({ agent: present(await s.accounts.patchMe(agent, sessionHash, body)) });
  });

  return { signin, session };
}
