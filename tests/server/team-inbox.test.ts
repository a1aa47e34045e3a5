// Issue 11, working the inbox (real server, loopback): authorship on messages (agent API vs widget), conversation
// status/assignee with views, counts and per-agent unread, a visitor reopening, the change bus, the activity trail
// with its actors, and presence from open agent streams.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from './helpers/client.js';
import { startServer, type RunningServer } from './helpers/spawn-server.js';
import { openStream } from './helpers/sse.js';
import { addTeammate, browser, PASSWORD, type Browser } from './helpers/team.js';

let srv: RunningServer;
let api: ReturnType<typeof createClient>;
let owner: Browser;
let ownerId: string;
let ann: Browser;
let annId: string;
let bob: Browser;
let bobId: string;
const fetcher = (p: string, i?: RequestInit) => fetch(srv.url + p, i);

beforeAll(async () => {
  srv = await startServer();
  api = createClient(fetcher, srv.agentToken);
  const token = /#\/setup\?token=([A-Za-z0-9_-]+)/.exec(srv.output())![1];
  owner = browser(fetcher, srv.url);
  const made = await owner.call('POST', '/v1/setup', { token, name: 'Olga Owner', email: 'owner@example.com', password: PASSWORD });
  ownerId = made.json.agent.id;
  ({ browser: ann, agent: { id: annId } } = await addTeammate(owner, fetcher, srv.url, 'Ann Agent', 'ann@example.com', 'agent'));
  ({ browser: bob, agent: { id: bobId } } = await addTeammate(owner, fetcher, srv.url, 'Bob Agent', 'bob@example.com', 'agent'));
}, 60_000);
afterAll(() => srv?.stop());

/** A visitor with one message: answers its token and conversation id. */
async function visitorSays(text: string) {
  const v = await api.session();
  const r = await api.sync(v.token, [{ type: 'message', text }]);
  return { token: v.token, contactId: v.contact.id as string, conversationId: r.json.results[0].message.conversationId as string };
}

describe('authorship', () => {
  it('a reply carries agent {id, name} to agents and only agentName to the widget; the env token names nobody', async () => {
    const v = await visitorSays('hi');
    const reply = await ann.call('POST', `/v1/conversations/${v.conversationId}/messages`, { text: 'Hello, Ann here' });
    expect(reply.status).toBe(201);
    expect(reply.json).toMatchObject({ author: 'agent', agentName: 'Ann Agent', agent: { id: annId, name: 'Ann Agent' } });
    expect(reply.text).not.toContain('ann@example.com');
    const env = await api.agent('POST', `/v1/conversations/${v.conversationId}/messages`, { text: 'from a script' });
    expect(env.json.agent).toBeUndefined();
    expect(env.json.agentName).toBeUndefined(); // the widget shows the site name (its config) instead

    const history = await api.call('GET', '/v1/messages', undefined, v.token);
    const agentMsgs = history.json.items.filter((m: { author: string }) => m.author === 'agent');
    expect(agentMsgs[0]).toMatchObject({ text: 'Hello, Ann here', agentName: 'Ann Agent' });
    expect(agentMsgs[0].agent).toBeUndefined();
    expect(JSON.stringify(history.json)).not.toContain(annId);
    const thread = await owner.call('GET', `/v1/conversations/${v.conversationId}/messages`);
    expect(thread.json.items.find((m: { text: string }) => m.text === 'Hello, Ann here').agent).toEqual({ id: annId, name: 'Ann Agent' });
  });
});

describe('inbox', () => {
  it('assign, resolve, views, counts, per-agent unread; a visitor message reopens; bad input is a 400 naming the field', async () => {
    const a = await visitorSays('first');
    const b = await visitorSays('second');
    const c = await visitorSays('third');
    const counts0 = (await ann.call('GET', '/v1/conversations/counts')).json;

    expect((await ann.call('PATCH', `/v1/conversations/${a.conversationId}`, { assigneeId: annId })).json).toMatchObject({ id: a.conversationId, status: 'open', assigneeId: annId });
    expect((await ann.call('PATCH', `/v1/conversations/${b.conversationId}`, { assigneeId: bobId })).status).toBe(200);
    expect((await ann.call('PATCH', `/v1/conversations/${c.conversationId}`, { status: 'resolved' })).json.status).toBe('resolved');

    const ids = async (who: Browser, q: string) => (await who.call('GET', `/v1/conversations?${q}`)).json.items.map((x: { id: string }) => x.id);
    expect(await ids(ann, 'assignee=me&status=open')).toContain(a.conversationId);
    expect(await ids(ann, 'assignee=me&status=open')).not.toContain(b.conversationId);
    expect(await ids(bob, 'assignee=me')).toEqual([b.conversationId]);
    expect(await ids(ann, `assignee=${bobId}`)).toEqual([b.conversationId]);
    expect(await ids(ann, 'assignee=none&status=open')).not.toContain(a.conversationId);
    expect(await ids(ann, 'status=resolved')).toContain(c.conversationId);
    expect(await ids(ann, 'status=open')).not.toContain(c.conversationId);

    const counts1 = (await ann.call('GET', '/v1/conversations/counts')).json;
    expect(counts1.mine).toBe(counts0.mine + 1);
    expect(counts1.resolved).toBe(counts0.resolved + 1);
    // counts0 already held the three (open, unassigned): two were assigned, one resolved
    expect(counts1.all).toBe(counts0.all - 1);
    expect(counts1.unassigned).toBe(counts0.unassigned - 3);
    // unread is per agent: Ann reads hers, Bob still has it unread
    expect(counts1.unread.mine).toBe(counts0.unread.mine + 1);
    expect((await ann.call('POST', `/v1/conversations/${a.conversationId}/read`)).json.unread).toBe(0);
    expect((await ann.call('GET', '/v1/conversations/counts')).json.unread.all).toBe(counts1.unread.all - 1);
    expect((await bob.call('GET', `/v1/conversations/${a.conversationId}`)).json.unread).toBe(1);

    // the visitor writes again: the resolved conversation is open again
    await api.sync(c.token, [{ type: 'message', text: 'me again' }]);
    expect((await ann.call('GET', `/v1/conversations/${c.conversationId}`)).json.status).toBe('open');

    for (const [body, path] of [
      [{ assigneeId: 'ag_nobody' }, ['assigneeId']],
      [{ status: 'closed' }, ['status']],
      [{ assigneeId: annId, role: 'owner' }, ['role']],
    ] as const) {
      const r = await ann.call('PATCH', `/v1/conversations/${a.conversationId}`, body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.json.error.issues[0].path).toEqual(path);
    }
    // a pending (not yet accepted) agent is not an active assignee either
    const pending = await owner.call('POST', '/v1/agents', { name: 'Pending', email: 'pending@example.com', role: 'agent' });
    expect((await ann.call('PATCH', `/v1/conversations/${a.conversationId}`, { assigneeId: pending.json.agent.id })).status).toBe(400);
    expect((await ann.call('GET', '/v1/conversations?assignee=someone!')).status).toBe(400);
    expect((await api.agent('GET', '/v1/conversations?assignee=me')).status).toBe(400);
    expect((await ann.call('GET', `/v1/conversations/${a.conversationId}`)).json.assigneeId).toBe(annId);
    // unassign
    expect((await ann.call('PATCH', `/v1/conversations/${a.conversationId}`, { assigneeId: null })).json.assigneeId).toBeNull();
  }, 60_000);

  it('status and assignee changes reach the agent stream live', async () => {
    const v = await visitorSays('live?');
    const stream = openStream(`${srv.url}/v1/agent/stream`, { cookie: `chative_session=${bob.cookie}` });
    expect(await stream.opened).toBe(200);
    await ann.call('PATCH', `/v1/conversations/${v.conversationId}`, { status: 'resolved', assigneeId: bobId });
    await stream.until((evs) => evs.some((e) => e.event === 'conversation' && e.data.id === v.conversationId && e.data.status === 'resolved' && e.data.assigneeId === bobId));
    await stream.close();
  });
});

describe('activity', () => {
  it('every change is listed newest first with its actor: visitor, agent, API token, system merge (both contacts); paged', async () => {
    const v = await api.session();
    await api.sync(v.token, [{ type: 'update', name: 'Vera', email: 'vera@example.com' }]);
    const id = v.contact.id;
    await ann.call('PATCH', `/v1/contacts/${id}`, { phone: '+4915112345678' });
    await owner.call('POST', '/v1/tags', { name: 'vip' });
    await ann.call('PUT', `/v1/contacts/${id}/tags/vip`);
    await api.agent('PUT', `/v1/contacts/${id}/note`, { text: 'called back' });
    const list = await ann.call('GET', `/v1/contacts/${id}/activity`);
    expect(list.status).toBe(200);
    const items = list.json.items as { change: string; field?: string; actor: { kind: string; id?: string; name?: string }; from?: unknown; to?: unknown; at: string }[];
    expect(items[0]).toMatchObject({ change: 'note', actor: { kind: 'api', name: 'CHATIVE_AGENT_TOKEN' }, to: 'called back' });
    expect(items[1]).toMatchObject({ change: 'tag_added', field: 'vip', actor: { kind: 'agent', id: annId, name: 'Ann Agent' } });
    expect(items.find((i) => i.field === 'phone')).toMatchObject({ change: 'field', from: null, to: '+4915112345678', actor: { kind: 'agent', id: annId } });
    expect(items.find((i) => i.field === 'email')).toMatchObject({ change: 'field', to: 'vera@example.com', actor: { kind: 'visitor' } });
    expect(JSON.stringify(items)).not.toContain('ann@example.com');
    // newest first, and a page plus its cursor give the rest without repeats
    const times = items.map((i) => i.at);
    expect([...times].sort().reverse()).toEqual(times);
    const p1 = await ann.call('GET', `/v1/contacts/${id}/activity?limit=2`);
    const p2 = await ann.call('GET', `/v1/contacts/${id}/activity?limit=50&cursor=${p1.json.nextCursor}`);
    expect([...p1.json.items, ...p2.json.items]).toEqual(items);
    expect((await ann.call('GET', `/v1/contacts/${id}/activity?cursor=abc`)).status).toBe(400);
    expect((await ann.call('GET', `/v1/contacts/${id}/activity?limit=0`)).status).toBe(400);
    expect((await ann.call('GET', '/v1/contacts/ct_nobody/activity')).status).toBe(404);

    // a verified identify merges a guest into the customer: both trails say so
    const { createHmac } = await import('node:crypto');
    const hash = (cid: string) => createHmac('sha256', srv.secret).update(cid, 'utf8').digest('hex');
    const first = await api.session();
    await api.sync(first.token, [{ type: 'identify', customerId: 'cust-42', userHash: hash('cust-42') }]);
    const second = await api.session();
    await api.sync(second.token, [{ type: 'identify', customerId: 'cust-42', userHash: hash('cust-42') }]);
    const survivor = await ann.call('GET', `/v1/contacts/${first.contact.id}/activity`);
    const gone = await ann.call('GET', `/v1/contacts/${second.contact.id}/activity`);
    expect(survivor.json.items.some((i: { change: string; from?: string }) => i.change === 'merged' && i.from === second.contact.id)).toBe(true);
    expect(gone.json.items.some((i: { change: string; to?: string }) => i.change === 'merged' && i.to === first.contact.id)).toBe(true);
  });
});

describe('presence', () => {
  it('an agent with an open stream is online, away when they say so, offline when it closes; teammates see it live', async () => {
    const presenceOf = async (id: string) => ((await owner.call('GET', '/v1/agents')).json.items as { id: string; presence: string }[]).find((a) => a.id === id)!.presence;
    expect(await presenceOf(bobId)).toBe('offline');
    const watch = openStream(`${srv.url}/v1/agent/stream`, { cookie: `chative_session=${owner.cookie}` });
    expect(await watch.opened).toBe(200);
    const bobs = openStream(`${srv.url}/v1/agent/stream`, { cookie: `chative_session=${bob.cookie}` });
    expect(await bobs.opened).toBe(200);
    await watch.until((evs) => evs.some((e) => e.event === 'presence' && e.data.agentId === bobId && e.data.presence === 'online'));
    expect(await presenceOf(bobId)).toBe('online');
    expect((await bob.call('PATCH', '/v1/me', { away: true })).status).toBe(200);
    await watch.until((evs) => evs.some((e) => e.event === 'presence' && e.data.agentId === bobId && e.data.presence === 'away'));
    expect(await presenceOf(bobId)).toBe('away');
    await bobs.close();
    await watch.until((evs) => evs.some((e) => e.event === 'presence' && e.data.agentId === bobId && e.data.presence === 'offline'));
    expect(await presenceOf(bobId)).toBe('offline');
    expect(await presenceOf(ownerId)).toBe('online');
    await watch.close();
  });
});

describe('contract', () => {
  it('every §6 answer parses with its zod schema in widget/src/contract/zod/team.ts (what the console parses)', async () => {
    const z = await import('../../widget/src/contract/zod/team.js');
    const { conversationSchema, pageSchema } = await import('../../widget/src/contract/zod/responses.js');
    const strict = <T>(schema: { safeParse(v: unknown): { success: boolean; error?: unknown } }, v: T) => {
      const r = schema.safeParse(v);
      expect(r.success, JSON.stringify(r.error ?? null).slice(0, 500)).toBe(true);
    };
    strict(z.agentListSchema, (await owner.call('GET', '/v1/agents')).json);
    strict(z.meSchema, (await ann.call('GET', '/v1/me')).json);
    strict(z.meSchema, (await api.agent('GET', '/v1/me')).json);
    strict(z.signedInSchema, (await ann.call('PATCH', '/v1/me', { name: 'Ann Agent' })).json);
    strict(z.setupStateSchema, (await owner.call('GET', '/v1/setup')).json);
    const created = await owner.call('POST', '/v1/agents', { name: 'Cora', email: 'cora@example.com', role: 'admin' });
    strict(z.agentCreatedSchema, created.json);
    strict(z.inviteSchema, (await owner.call('POST', `/v1/agents/${created.json.agent.id}/invite`)).json);
    strict(z.teamAgentSchema, (await owner.call('PATCH', `/v1/agents/${created.json.agent.id}`, { role: 'agent' })).json);
    strict(z.apiTokenCreatedSchema, (await owner.call('POST', '/v1/api-tokens', { name: 'Contract', role: 'agent' })).json);
    strict(z.apiTokenListSchema, (await owner.call('GET', '/v1/api-tokens')).json);
    const v = await visitorSays('contract?');
    strict(z.teamMessageSchema, (await ann.call('POST', `/v1/conversations/${v.conversationId}/messages`, { text: 'yes' })).json);
    strict(pageSchema(z.teamMessageSchema), (await ann.call('GET', `/v1/conversations/${v.conversationId}/messages`)).json);
    strict(conversationSchema, (await ann.call('PATCH', `/v1/conversations/${v.conversationId}`, { assigneeId: annId })).json);
    strict(pageSchema(conversationSchema), (await ann.call('GET', '/v1/conversations?assignee=me')).json);
    strict(z.conversationCountsSchema, (await ann.call('GET', '/v1/conversations/counts')).json);
    strict(z.activityPageSchema, (await ann.call('GET', `/v1/contacts/${v.contactId}/activity`)).json);
  });
});
