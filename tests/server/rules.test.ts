// Automation rules (CONTRACT §8) over the agent API: order, validation at the leaf, actions in the triggering
// transaction as actor automation, loop safety, failures logged, the webhook action, dry runs, contact.inactive.
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { Actor, Change } from '../../server-stub/src/services/changes.js';
import { createClient } from './helpers/client.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';
import { startReceiver, type Receiver } from './helpers/webhook-receiver.js';

let t: TestApp;
let api: ReturnType<typeof createClient>;
let seen: (Change & { actor: Actor })[];
beforeEach(async () => {
  process.env.CHATIVE_WEBHOOK_ALLOW_PRIVATE = '1';
  t = await createTestApp();
  delete process.env.CHATIVE_WEBHOOK_ALLOW_PRIVATE;
  api = createClient((p, i) => t.app.request(p, i), t.agentToken);
  seen = [];
  t.app.services.changes.on(async (_tx, changes, out) => void seen.push(...changes.map((c) => ({ ...c, actor: out.actor }))));
  await api.agent('POST', '/v1/custom-fields', { name: 'Plan', type: 'text' });
});
afterEach(() => t.close());

const rule = async (body: Record<string, unknown>) => {
  const r = await api.agent('POST', '/v1/rules', { name: 'r', ...body });
  if (r.status !== 201) throw new Error(`${r.status} ${r.text}`);
  return r.json as { id: string; position: number };
};
const lead = async () => {
  const v = await api.session();
  await api.sync(v.token, [{ type: 'update', name: 'Ada', email: 'ada@example.com' }]);
  return v.contact.id as string;
};
const contact = async (id: string) => (await api.agent('GET', `/v1/contacts/${id}`)).json;
const runs = async (id: string) => (await api.agent('GET', `/v1/rules/${id}/runs`)).json.items;

it('"When a tag is added: vip, and type is lead → set plan to gold, add tag auto" runs as automation, and is logged', async () => {
  const r = await rule({
    name: 'VIP leads', trigger: { on: 'contact.tag_added', tag: 'vip' }, where: { all: [{ field: 'type', op: 'is', value: 'lead' }] },
    actions: [{ setField: { key: 'plan', value: 'gold' } }, { addTag: 'auto' }],
  });
  const guest = (await api.session()).contact.id;
  const id = await lead();
  await api.agent('PUT', `/v1/contacts/${guest}/tags/vip`); // a guest: where does not match
  expect((await api.agent('PUT', `/v1/contacts/${id}/tags/VIP`)).status).toBe(200);
  expect(await contact(id)).toMatchObject({ custom: { plan: 'gold' }, tags: ['auto', 'vip'] });
  expect((await contact(guest)).tags).toEqual(['vip']);
  const byRule = seen.filter((c) => c.actor.kind === 'automation');
  expect(byRule.map((c) => [c.change, 'field' in c ? c.field : undefined, c.actor.id, c.actor.name])).toEqual([['custom', 'plan', r.id, 'VIP leads'], ['tag_added', 'auto', r.id, 'VIP leads']]);
  const log = await runs(r.id);
  expect(log).toHaveLength(2);
  expect(log[0]).toMatchObject({ contactId: id, trigger: 'contact.tag_added', matched: true, actions: [{ action: { setField: { key: 'plan', value: 'gold' } }, ok: true }, { action: { addTag: 'auto' }, ok: true }] });
  expect(log[1]).toMatchObject({ contactId: guest, matched: false, actions: [] });
});

it('a rule change is part of the triggering transaction: when the unit fails, neither stands', async () => {
  await rule({ trigger: { on: 'contact.tag_added' }, actions: [{ setField: { key: 'plan', value: 'gold' } }] });
  const id = await lead();
  t.app.services.changes.on(async (_tx, changes) => {
    if (changes.some((c) => c.change === 'tag_added' && c.field === 'boom')) throw new Error('a later listener failed');
  });
  expect((await api.agent('PUT', `/v1/contacts/${id}/tags/boom`)).status).toBe(500);
  expect(await contact(id)).toMatchObject({ tags: [], custom: {} });
});

it('keeps its list order, moves on PATCH position, and refuses bad rules at the leaf, changing nothing', async () => {
  const a = await rule({ name: 'a', trigger: { on: 'contact.created' }, actions: [{ addTag: 'a' }] });
  const b = await rule({ name: 'b', trigger: { on: 'contact.created' }, actions: [{ addTag: 'b' }] });
  const c = await rule({ name: 'c', trigger: { on: 'contact.created' }, actions: [{ addTag: 'c' }], position: 0 });
  const names = async () => (await api.agent('GET', '/v1/rules')).json.items.map((x: { name: string; position: number }) => `${x.position}${x.name}`);
  expect(await names()).toEqual(['0c', '1a', '2b']);
  await api.agent('PATCH', `/v1/rules/${c.id}`, { position: 5 });
  expect(await names()).toEqual(['0a', '1b', '2c']);
  await api.agent('DELETE', `/v1/rules/${a.id}`);
  expect(await names()).toEqual(['0b', '1c']);
  expect((await api.agent('PATCH', `/v1/rules/${b.id}`, { enabled: false })).json.enabled).toBe(false);
  const bad: [unknown, (string | number)[]][] = [
    [{ name: 'x', trigger: { on: 'contact.created' }, where: { all: [{ field: 'type', op: 'is', value: 'lead' }, { field: 'lastSeenAt', op: 'in_last_days', value: 'ten' }] }, actions: [{ addTag: 'x' }] }, ['where', 'all', 1, 'value']],
    [{ name: 'x', trigger: { on: 'contact.created' }, actions: [{ setField: { key: 'nope', value: 'x' } }] }, ['actions', 0, 'setField', 'key']],
    [{ name: 'x', trigger: { on: 'contact.created' }, actions: [{ webhook: 'wh_missing' }] }, ['actions', 0, 'webhook']],
    [{ name: 'x', trigger: { on: 'contact.exploded' }, actions: [{ addTag: 'x' }] }, ['trigger', 'on']],
    [{ name: 'x', trigger: { on: 'contact.inactive', days: 0 }, actions: [{ addTag: 'x' }] }, ['trigger', 'days']],
    [{ name: 'x', trigger: { on: 'contact.created' }, actions: [] }, ['actions']],
    [{ name: 'x', trigger: { on: 'contact.created' }, actions: [{ setType: 'guest' }] }, ['actions', 0]],
  ];
  for (const [body, path] of bad) {
    const r = await api.agent('POST', '/v1/rules', body);
    expect(r.status, JSON.stringify(body)).toBe(400);
    expect(r.json.error.issues[0].path.slice(0, path.length)).toEqual(path);
  }
  expect(await names()).toEqual(['0b', '1c']);
  // rules run in list order: c (position 1) sees b's (position 0) change? b is disabled, so only c runs
  const v = await api.session();
  expect((await contact(v.contact.id)).tags).toEqual(['c']);
});

it('never re-fires a rule in its own chain, and chains stop at depth 5', async () => {
  // r0 adds t1, r1 adds t2, … each triggered by the previous tag: a chain 7 long is cut after 5 automated steps
  for (let i = 0; i < 7; i++) await rule({ name: `r${i}`, trigger: { on: 'contact.tag_added', tag: `t${i}` }, actions: [{ addTag: `t${i + 1}` }] });
  const id = await lead();
  await api.agent('PUT', `/v1/contacts/${id}/tags/t0`);
  expect((await contact(id)).tags).toEqual(['t0', 't1', 't2', 't3', 't4', 't5']);
  const loop = await rule({ name: 'loop', trigger: { on: 'contact.updated', fields: ['custom.plan'] }, actions: [{ setField: { key: 'plan', value: 'again' } }] });
  await api.agent('PATCH', `/v1/contacts/${id}`, { custom: { plan: 'free' } });
  expect((await contact(id)).custom.plan).toBe('again');
  expect(await runs(loop.id)).toHaveLength(1); // its own change did not fire it again
});

it('setType never goes down, and customer needs a customerId (else the action fails and is logged); other actions still apply', async () => {
  const r = await rule({ trigger: { on: 'contact.tag_added', tag: 'up' }, actions: [{ setType: 'customer' }, { addTag: 'tried' }, { setType: 'lead' }, { assign: 'ag_1' }] });
  const guest = (await api.session()).contact.id;
  await api.agent('PUT', `/v1/contacts/${guest}/tags/up`);
  expect(await contact(guest)).toMatchObject({ type: 'lead', tags: ['tried', 'up'] });
  const [run] = await runs(r.id);
  expect(run.actions.map((a: { ok: boolean; error?: string }) => [a.ok, a.error])).toEqual([[false, 'no_customer_id'], [true, undefined], [true, undefined], [false, 'no_conversation']]);
  const linked = await lead();
  await api.agent('PATCH', `/v1/contacts/${linked}`, { customerId: 'c-42' });
  await api.agent('PUT', `/v1/contacts/${linked}/tags/up`);
  expect((await contact(linked)).type).toBe('customer');
  await api.agent('PATCH', `/v1/rules/${r.id}`, { actions: [{ setType: 'lead' }] });
  await api.agent('DELETE', `/v1/contacts/${linked}/tags/up`);
  await api.agent('PUT', `/v1/contacts/${linked}/tags/up`);
  expect((await contact(linked)).type).toBe('customer'); // never downward
});

it('a webhook action enqueues a delivery that is sent after commit', async () => {
  const rx: Receiver = await startReceiver();
  try {
    const w = (await api.agent('POST', '/v1/webhooks', { url: rx.url, events: ['contact.erased'] })).json;
    await rule({ trigger: { on: 'contact.tag_added', tag: 'hot' }, actions: [{ webhook: w.id }] });
    const id = await lead();
    await api.agent('PUT', `/v1/contacts/${id}/tags/hot`);
    await rx.until(() => rx.received.length === 1);
    expect(JSON.parse(rx.received[0].body)).toMatchObject({ type: 'rule.matched', data: { contact: { id, tags: ['hot'] } } });
  } finally {
    await rx.close();
  }
});

it('dry-run counts and samples the contacts the where matches, changing nothing', async () => {
  const r = await rule({ trigger: { on: 'contact.created' }, where: { all: [{ field: 'type', op: 'is', value: 'lead' }] }, actions: [{ addTag: 'x' }] });
  const a = await lead();
  const b = await lead();
  await api.session();
  const d = await api.agent('POST', `/v1/rules/${r.id}/dry-run`);
  expect(d.json.matches).toBe(2);
  expect([...d.json.sample].sort()).toEqual([a, b].sort());
  expect(await runs(r.id)).toHaveLength(3); // only the three real creations ran it
  expect((await contact(a)).tags).toEqual([]);
});

it('contact.inactive fires once per contact per inactivity spell, from the schedule', async () => {
  const r = await rule({ trigger: { on: 'contact.inactive', days: 30 }, actions: [{ addTag: 'dormant' }] });
  const id = await lead();
  const fresh = await lead();
  const idle = (iso: string) => t.store.write((tx) => tx.updateContact(id, { lastSeenAt: iso }));
  await idle(new Date(Date.now() - 40 * 86_400_000).toISOString());
  expect(await t.app.services.rules.checkInactive()).toBe(1);
  expect(await t.app.services.rules.checkInactive()).toBe(0);
  expect((await contact(id)).tags).toEqual(['dormant']);
  expect((await contact(fresh)).tags).toEqual([]);
  await idle(new Date(Date.now() - 35 * 86_400_000).toISOString()); // seen again, then idle again: a new spell
  expect(await t.app.services.rules.checkInactive()).toBe(1);
  expect((await runs(r.id)).map((x: { trigger: string }) => x.trigger)).toEqual(['contact.inactive', 'contact.inactive']);
  // the schedule runs it: registered as a durable task
  expect(await t.app.services.schedule.check()).toContain('rules.contact-inactive');
});

it("README's worked example: a rule tags leads from a form answer and calls a webhook", async () => {
  const rx: Receiver = await startReceiver();
  try {
    expect((await api.agent('POST', '/v1/custom-fields', { name: 'Team size', type: 'number', inForm: true })).status).toBe(201);
    const hook = (await api.agent('POST', '/v1/webhooks', { url: rx.url, events: ['contact.type_changed'] })).json;
    const r = await api.agent('POST', '/v1/rules', {
      name: 'Big teams', trigger: { on: 'contact.type_changed', to: 'lead' },
      where: { all: [{ field: 'custom.team_size', op: 'gte', value: 50 }] }, actions: [{ addTag: 'enterprise' }, { webhook: hook.id }],
    });
    expect(r.status).toBe(201);
    expect((await api.agent('POST', `/v1/rules/${r.json.id}/dry-run`)).json).toEqual({ matches: 0, sample: [] });
    const small = await api.session();
    await api.sync(small.token, [{ type: 'lead', name: 'Bo', email: 'bo@example.com', custom: { team_size: 5 } }]);
    const big = await api.session();
    const sent = await api.sync(big.token, [{ type: 'lead', name: 'Ada', email: 'ada@example.com', custom: { team_size: 120 } }]);
    expect(sent.json.results[0].status).toBe('applied');
    expect((await contact(big.contact.id)).tags).toEqual(['enterprise']);
    expect((await contact(small.contact.id)).tags).toEqual([]);
    // the CRM hears both type changes, and the rule's own call for the big team
    await rx.until(() => rx.received.length === 3);
    const types = rx.received.map((x) => JSON.parse(x.body)).map((b) => `${b.type}:${b.data.contact.name}`).sort();
    expect(types).toEqual(['contact.type_changed:Ada', 'contact.type_changed:Bo', 'rule.matched:Ada']);
    expect((await runs(r.json.id)).map((x: { matched: boolean }) => x.matched)).toEqual([true, false]);
  } finally {
    await rx.close();
  }
});

it('assign: a visitor\'s message hands the conversation to the rule\'s agent (an unknown agent fails the action, logged)', async () => {
  await t.store.write((tx) => tx.insertAgent({ id: 'ag_sam', name: 'Sam', email: 'sam@example.com', role: 'agent', passwordHash: 'x', disabled: false, createdAt: new Date().toISOString() }));
  const good = await rule({ trigger: { on: 'message.received' }, actions: [{ assign: 'ag_sam' }] });
  const bad = await rule({ trigger: { on: 'message.received' }, actions: [{ assign: 'ag_nobody' }] });
  const v = await api.session();
  const sent = await api.sync(v.token, [{ type: 'message', text: 'hello' }]);
  const conversationId = sent.json.results[0].message.conversationId;
  const conv = (await api.agent('GET', `/v1/conversations/${conversationId}`)).json;
  expect(conv.assigneeId).toBe('ag_sam');
  expect((await runs(good.id))[0].actions[0]).toMatchObject({ ok: true });
  expect((await runs(bad.id))[0].actions[0]).toMatchObject({ ok: false, error: 'validation_failed' });
  expect(seen.some((c) => c.change === 'conversation' && c.actor.kind === 'automation')).toBe(true);
});
