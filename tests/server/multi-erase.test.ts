// An erase reaches every console (issue 14, CONTRACT §9): the agent stream says `erased` with the tombstone
// `{id, erasedAt}` — on the instance that erased and, through the bus, on every other one — so consoles drop the
// contact without a refresh. One instance (SQLite, spawned) and two on one PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, startInstance, type Instance } from './helpers/pair.js';
import { pgSkip } from './helpers/pg.js';
import { openStream } from './helpers/sse.js';
import { startServer } from './helpers/spawn-server.js';
import { createClient } from './helpers/client.js';

const SKIP = pgSkip ? ' — skipped: PostgreSQL is not installed (see the line printed at the start of the run)' : '';
type Api = ReturnType<typeof createClient>;

/** A visitor with one message (so it has a conversation): its contact id. */
async function visitor(api: Api, text: string) {
  const s = await api.session();
  expect((await api.sync(s.token, [{ type: 'message', text }])).status).toBe(200);
  return s.contact.id as string;
}
const erasedOf = (st: ReturnType<typeof openStream>) => st.events.filter((e) => e.event === 'erased').map((e) => e.data);

it('one instance: DELETE /v1/contacts/:id is an `erased` event on the agent stream, the contact then 410', async () => {
  const srv = await startServer({ env: { CHATIVE_RATE_LIMIT: '0' } });
  try {
    const api = createClient((p, i) => fetch(srv.url + p, i), srv.agentToken);
    const st = openStream(`${srv.url}/v1/agent/stream`, bearer(srv.agentToken));
    expect(await st.opened).toBe(200);
    const id = await visitor(api, 'erase me');
    const kept = await visitor(api, 'keep me');
    await st.until((evs) => evs.some((e) => e.event === 'message' && e.data.text === 'keep me'));
    expect((await api.agent('DELETE', `/v1/contacts/${id}`)).status).toBe(204);
    await st.until((evs) => evs.some((e) => e.event === 'erased'));
    expect(erasedOf(st)).toEqual([{ id, erasedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) }]);
    expect((await api.agent('GET', `/v1/contacts/${id}`)).status).toBe(410);
    expect((await api.agent('GET', `/v1/contacts/${kept}`)).status).toBe(200);
    await st.close();
  } finally {
    await srv.stop();
  }
});

describe.skipIf(pgSkip)(`erase with two instances${SKIP}`, () => {
  let A: Instance;
  let B: Instance;
  beforeAll(async () => {
    A = await startInstance();
    B = await startInstance();
  });
  afterAll(async () => {
    await Promise.all([A?.stop(), B?.stop()]);
  });

  it('an erase on A reaches the agent streams on A and B; a bulk erase on A sends one per contact to B', async () => {
    const onA = openStream(`${A.url}/v1/agent/stream`, bearer(A.agentToken));
    const onB = openStream(`${B.url}/v1/agent/stream`, bearer(B.agentToken));
    expect(await Promise.all([onA.opened, onB.opened])).toEqual([200, 200]);
    const id = await visitor(A.api, 'erase me on A');
    await onB.until((evs) => evs.some((e) => e.event === 'message' && e.data.contactId === id));
    expect((await A.api.agent('DELETE', `/v1/contacts/${id}`)).status).toBe(204);
    for (const st of [onA, onB]) await st.until((evs) => evs.some((e) => e.event === 'erased' && e.data.id === id));
    expect(erasedOf(onB)).toEqual(erasedOf(onA));
    expect(erasedOf(onB)).toEqual([{ id, erasedAt: expect.any(String) }]);
    expect((await B.api.agent('GET', `/v1/contacts/${id}`)).status).toBe(410);

    // three guests named for this test, erased by one bulk job on A: B's console hears of each
    const many: string[] = [];
    for (let i = 0; i < 3; i++) {
      const s = await A.api.session();
      expect((await A.api.sync(s.token, [{ type: 'update', name: `Bulk gone ${i}` }])).status).toBe(200);
      many.push(s.contact.id);
    }
    const r = await A.api.agent('POST', '/v1/contacts/bulk', { id: 'multi-erase-bulk', where: { all: [{ field: 'name', op: 'starts_with', value: 'Bulk gone' }] }, action: { erase: true } });
    expect(r.status).toBe(202);
    await onB.until((evs) => many.every((m) => evs.some((e) => e.event === 'erased' && e.data.id === m)), 30_000);
    expect(erasedOf(onB).map((e) => e.id).sort()).toEqual([id, ...many].sort());
    await Promise.all([onA.close(), onB.close()]);
  });
});
