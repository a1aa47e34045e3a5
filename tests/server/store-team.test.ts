// What every Store engine must do for the team (issue 11), written against storage/store.ts only — the same
// engines as store-conformance.test.ts (helpers/engines.ts: SQLite and PostgreSQL).
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { AgentRecord, Store, Tx } from '../../server-stub/src/storage/store.js';
import { eachEngine } from './helpers/engines.js';

const AT = '2026-03-01T10:00:00.000Z';
const at = (minute: number) => new Date(Date.parse(AT) + minute * 60_000).toISOString();
const agent = (id: string, over: Partial<AgentRecord> = {}): Omit<AgentRecord, 'lastActiveAt'> => ({
  id, name: `Name ${id}`, email: `${id}@Example.com`, role: 'agent', passwordHash: 'scrypt$x', disabled: false, createdAt: at(0), ...over,
});
async function conversationWithVisitorMessage(tx: Tx, contactId: string, convId: string, minute: number) {
  await tx.insertContact({ id: contactId, siteId: 'default', type: 'guest', timezone: null, locale: null, createdAt: at(minute) });
  await tx.createConversation({ id: convId, siteId: 'default', contactId, createdAt: at(minute) });
  return tx.insertMessage({ conversationId: convId, author: 'visitor', text: 'hi', createdAt: at(minute) });
}

eachEngine('store conformance, the team', (engine) => {
  let store: Store;
  let dispose: () => Promise<void>;
  beforeEach(async () => {
    ({ store, dispose } = await engine.open());
  });
  afterEach(() => dispose());

  it('agents: by id, by email case-insensitively, unique email, updates, oldest first, active owners', async () => {
    await store.write(async (tx) => {
      await tx.insertAgent(agent('a1', { role: 'owner', createdAt: at(1) }));
      await tx.insertAgent(agent('a2', { role: 'owner', createdAt: at(2), disabled: true }));
      await tx.insertAgent(agent('a3', { role: 'owner', createdAt: at(3), passwordHash: null }));
      await tx.insertAgent(agent('a0', { createdAt: at(0) }));
    });
    expect(await store.read((r) => r.findAgentByEmail('  A1@EXAMPLE.COM '))).toMatchObject({ id: 'a1', email: 'a1@Example.com', role: 'owner', disabled: false, lastActiveAt: null });
    await expect(store.write((tx) => tx.insertAgent(agent('dup', { email: 'a1@example.COM' })))).rejects.toThrow();
    expect((await store.read((r) => r.listAgents())).map((a) => a.id)).toEqual(['a0', 'a1', 'a2', 'a3']);
    // a disabled owner and a pending one (no password yet) do not count
    expect(await store.read((r) => r.countActiveOwners())).toBe(1);
    await store.write((tx) => tx.updateAgent('a0', { role: 'owner', name: 'Zed', lastActiveAt: at(9) }));
    expect(await store.read((r) => r.getAgent('a0'))).toMatchObject({ role: 'owner', name: 'Zed', lastActiveAt: at(9), passwordHash: 'scrypt$x' });
    expect(await store.read((r) => r.countActiveOwners())).toBe(2);
    await store.write((tx) => tx.updateAgent('a2', { disabled: false }));
    expect(await store.read((r) => r.countActiveOwners())).toBe(3);
    expect(await store.read((r) => r.getAgent('nobody'))).toBeUndefined();
  });

  it('founding: once; setup tokens: the newest replaces the others, cleared on demand', async () => {
    expect(await store.read((r) => r.teamFounder())).toBeNull();
    expect(await store.write((tx) => tx.foundTeam('a1', at(0)))).toBe(true);
    expect(await store.write((tx) => tx.foundTeam('a2', at(1)))).toBe(false);
    expect(await store.read((r) => r.teamFounder())).toBe('a1');
    await store.write((tx) => tx.saveSetupToken('h1', at(0)));
    await store.write((tx) => tx.saveSetupToken('h2', at(1)));
    expect(await store.read(async (r) => [await r.hasSetupToken('h1'), await r.hasSetupToken('h2')])).toEqual([false, true]);
    await store.write((tx) => tx.clearSetupTokens());
    expect(await store.read((r) => r.hasSetupToken('h2'))).toBe(false);
  });

  it('invites: found by hash, used once, pending ones by agent (unused and unexpired)', async () => {
    await store.write(async (tx) => {
      await tx.insertAgent(agent('a1', { passwordHash: null }));
      await tx.insertAgent(agent('a2', { passwordHash: null }));
      await tx.createInvite({ hash: 'i1', agentId: 'a1', createdAt: at(0), expiresAt: at(100) });
      await tx.createInvite({ hash: 'i1b', agentId: 'a1', createdAt: at(1), expiresAt: at(200) });
      await tx.createInvite({ hash: 'i2', agentId: 'a2', createdAt: at(0), expiresAt: at(5) });
    });
    expect(await store.read((r) => r.findInvite('i1'))).toEqual({ hash: 'i1', agentId: 'a1', createdAt: at(0), expiresAt: at(100), usedAt: null });
    expect([...(await store.read((r) => r.pendingInvites(at(10))))]).toEqual([['a1', at(200)]]);
    expect(await store.write((tx) => tx.useInvite('i1', at(11)))).toBe(true);
    expect(await store.write((tx) => tx.useInvite('i1', at(12)))).toBe(false);
    expect((await store.read((r) => r.findInvite('i1')))?.usedAt).toBe(at(11));
    expect(await store.read((r) => r.findInvite('nope'))).toBeUndefined();
  });

  it('sessions: create, find, touch, end one, end all but one', async () => {
    await store.write(async (tx) => {
      await tx.insertAgent(agent('a1'));
      for (const h of ['s1', 's2', 's3']) await tx.createAgentSession({ hash: h, agentId: 'a1', createdAt: at(0), lastSeenAt: at(0) });
    });
    await store.write((tx) => tx.touchAgentSession('s1', at(5)));
    expect(await store.read((r) => r.findAgentSession('s1'))).toEqual({ hash: 's1', agentId: 'a1', createdAt: at(0), lastSeenAt: at(5) });
    await store.write((tx) => tx.deleteAgentSession('s1'));
    expect(await store.read((r) => r.findAgentSession('s1'))).toBeUndefined();
    expect(await store.write((tx) => tx.deleteAgentSessions('a1', 's2'))).toBe(1);
    expect(await store.read(async (r) => [Boolean(await r.findAgentSession('s2')), Boolean(await r.findAgentSession('s3'))])).toEqual([true, false]);
    expect(await store.write((tx) => tx.deleteAgentSessions('a1'))).toBe(1);
    // pruning: idle past the cut-off or created before the absolute one; a fresh one stays
    await store.write(async (tx) => {
      await tx.createAgentSession({ hash: 'idle', agentId: 'a1', createdAt: at(50), lastSeenAt: at(50) });
      await tx.createAgentSession({ hash: 'old', agentId: 'a1', createdAt: at(1), lastSeenAt: at(99) });
      await tx.createAgentSession({ hash: 'live', agentId: 'a1', createdAt: at(60), lastSeenAt: at(99) });
    });
    expect(await store.write((tx) => tx.pruneAgentSessions(at(90), at(10)))).toBe(2);
    expect(await store.read((r) => r.findAgentSession('live'))).toBeDefined();
  });

  it('API tokens: by hash, live ones listed oldest first, touched, revoked once, revoked with their author', async () => {
    await store.write(async (tx) => {
      await tx.createApiToken({ id: 't1', hash: 'h1', name: 'CI', role: 'admin', createdBy: 'a1', createdAt: at(1) });
      await tx.createApiToken({ id: 't2', hash: 'h2', name: 'Zap', role: 'agent', createdBy: 'a2', createdAt: at(2) });
      await tx.createApiToken({ id: 't0', hash: 'h0', name: 'Env', role: 'owner', createdBy: null, createdAt: at(0) });
    });
    expect(await store.read((r) => r.findApiToken('h1'))).toEqual({ id: 't1', hash: 'h1', name: 'CI', role: 'admin', createdBy: 'a1', createdAt: at(1), lastUsedAt: null, revokedAt: null });
    await store.write((tx) => tx.touchApiToken('t1', at(3)));
    expect((await store.read((r) => r.findApiToken('h1')))?.lastUsedAt).toBe(at(3));
    expect((await store.read((r) => r.listApiTokens())).map((t) => t.id)).toEqual(['t0', 't1', 't2']);
    expect(await store.write((tx) => tx.revokeApiToken('t0', at(4)))).toBe(true);
    expect(await store.write((tx) => tx.revokeApiToken('t0', at(5)))).toBe(false);
    expect(await store.write((tx) => tx.revokeApiTokensBy('a2', at(6)))).toBe(1);
    expect((await store.read((r) => r.listApiTokens())).map((t) => t.id)).toEqual(['t1']);
    expect((await store.read((r) => r.findApiToken('h2')))?.revokedAt).toBe(at(6));
  });

  it('activity: JSON values round-trip, newest first, paged by id', async () => {
    await store.write((tx) => tx.insertActivity([
      { contactId: 'c1', at: at(1), actor: { kind: 'visitor' }, change: 'created' },
      { contactId: 'c1', at: at(2), actor: { kind: 'agent', id: 'a1', name: 'Ann' }, change: 'field', field: 'email', from: null, to: 'a@b.c' },
      { contactId: 'c2', at: at(2), actor: { kind: 'system' }, change: 'merged', to: 'c1' },
      { contactId: 'c1', at: at(3), actor: { kind: 'api', id: 't1', name: 'CI' }, change: 'custom', field: 'n', from: 1, to: true },
    ]));
    const all = await store.read((r) => r.listActivity('c1', null, 10));
    expect(all.map((a) => a.change)).toEqual(['custom', 'field', 'created']);
    expect(all[0]).toMatchObject({ contactId: 'c1', at: at(3), actor: { kind: 'api', id: 't1', name: 'CI' }, field: 'n', from: 1, to: true });
    expect(all[1]).toMatchObject({ from: null, to: 'a@b.c', actor: { kind: 'agent', id: 'a1', name: 'Ann' } });
    expect(all[2]).toEqual({ id: all[2].id, contactId: 'c1', at: at(1), actor: { kind: 'visitor' }, change: 'created' });
    const page = await store.read((r) => r.listActivity('c1', all[0].id, 1));
    expect(page.map((a) => a.change)).toEqual(['field']);
    // erase: one contact's trail goes, the others' stay
    expect(await store.write((tx) => tx.deleteActivity('c1'))).toBe(3);
    expect(await store.read((r) => r.listActivity('c1', null, 10))).toEqual([]);
    expect(await store.read((r) => r.listActivity('c2', null, 10))).toHaveLength(1);
  });

  it('conversations: status, assignee, views, counts and unread by each agent own read marker; message authors', async () => {
    await store.write(async (tx) => {
      await conversationWithVisitorMessage(tx, 'c1', 'v1', 1);
      await conversationWithVisitorMessage(tx, 'c2', 'v2', 2);
      await conversationWithVisitorMessage(tx, 'c3', 'v3', 3);
      await tx.setConversation('v1', { assigneeId: 'a1' });
      await tx.setConversation('v3', { status: 'resolved' });
    });
    expect(await store.read((r) => r.getConversation('v1'))).toMatchObject({ status: 'open', assigneeId: 'a1' });
    const view = (v: { status?: 'open' | 'resolved'; assignee?: string }) => store.read(async (r) => (await r.listConversations({ limit: 10, view: v })).map((c) => c.id));
    expect(await view({ status: 'open' })).toEqual(['v2', 'v1']);
    expect(await view({ assignee: 'a1' })).toEqual(['v1']);
    expect(await view({ assignee: 'none', status: 'open' })).toEqual(['v2']);
    expect(await view({ status: 'resolved' })).toEqual(['v3']);
    expect(await store.read((r) => r.countConversations('a1'))).toEqual({ mine: 1, unassigned: 1, all: 2, resolved: 1, unread: { mine: 1, unassigned: 1, all: 2 } });
    await store.write(async (tx) => {
      const last = (await tx.getConversation('v1'))!.lastMessageSeq;
      await tx.markReadBy('a1', 'v1', last);
      await tx.markReadBy('a1', 'v1', 0); // never backwards
    });
    expect((await store.read((r) => r.countConversations('a1'))).unread).toEqual({ mine: 0, unassigned: 1, all: 1 });
    // another agent's marker is their own; with no viewer the shared marker counts
    expect((await store.read((r) => r.countConversations('a2'))).unread).toEqual({ mine: 0, unassigned: 1, all: 2 });
    expect(await store.read((r) => r.countConversations(null))).toMatchObject({ mine: 0, unread: { all: 2 } });
    expect((await store.read((r) => r.summarizeConversation('v1', 'a1')))?.unread).toBe(0);
    expect((await store.read((r) => r.summarizeConversation('v1', 'a2')))?.unread).toBe(1);
    expect((await store.read((r) => r.listConversations({ limit: 10, viewerId: 'a1', view: { assignee: 'a1' } })))[0].unread).toBe(0);

    const m = await store.write((tx) => tx.insertMessage({ conversationId: 'v1', author: 'agent', text: 'hello', createdAt: at(9), agentId: 'a1', agentName: 'Ann' }));
    expect(m).toMatchObject({ agentId: 'a1', agentName: 'Ann' });
    expect(await store.read((r) => r.getMessage(m.seq))).toMatchObject({ author: 'agent', agentId: 'a1', agentName: 'Ann' });
    expect((await store.read((r) => r.summarizeConversation('v1')))?.lastMessage).toMatchObject({ agentId: 'a1', agentName: 'Ann' });
    expect((await store.read((r) => r.messagesForConversation('v2', 0, 10)))[0]).toMatchObject({ agentId: null, agentName: null });
  });
});
