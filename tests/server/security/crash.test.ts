// Item 11: 20 concurrent clients send 1,000 mixed events (100 new per round); kill -9 the real server at a random
// moment; restart; 10 rounds. Unacknowledged batches are re-sent (as the widget outbox does); at the end
// every acknowledged event is present exactly once, and so is every event (all were eventually acknowledged).
import { expect, it } from 'vitest';
import { startServer, type RunningServer } from '../helpers/spawn-server.js';
import { queryDb } from './lib/db-snapshot.js';
import { realClient, sleep } from './lib/real-client.js';

type Ev = { id: string; type: string; [k: string]: unknown };
type Client = { token: string; tokenId?: number; queue: Ev[]; acked: Set<string> };

const CLIENTS = 20;
const EVENTS_PER_ROUND = 100; // 1,000 events over the 10 rounds: fsync per event makes more cost CI minutes, not confidence
const ROUNDS = 10;

function mixedEvent(round: number, client: number, n: number): Ev {
  const id = `r${round}c${client}n${n}`.padEnd(8, '_');
  const roll = (round * 7 + client * 3 + n) % 10;
  if (roll < 7) return { id, type: 'message', text: `msg ${id}` };
  if (roll < 9) return { id, type: 'update', name: `Name ${id}`, custom: { counter: n } };
  return { id, type: 'lead', name: `Lead ${id}`, email: `${id.toLowerCase()}@example.com` };
}

it('11. every acknowledged event survives kill -9 exactly once (10 rounds)', async () => {
  let srv: RunningServer = await startServer({ env: { CHATIVE_RATE_LIMIT: '0' } });
  const first = srv;
  const env = { CHATIVE_RATE_LIMIT: '0', CHATIVE_SITE_SECRET: first.secret, CHATIVE_AGENT_TOKEN: first.agentToken };
  const clients: Client[] = [];
  let api = realClient(srv.url, srv.agentToken);
  await api.agent('POST', '/v1/custom-fields', { name: 'Counter', type: 'number' });
  for (let i = 0; i < CLIENTS; i++) clients.push({ token: (await api.session()).token, queue: [], acked: new Set() });
  let ackedTotal = 0;
  let lostConnections = 0;
  let fiveXx = 0;
  const rejected: string[] = [];
  try {
    for (let round = 0; round < ROUNDS; round++) {
      for (let c = 0; c < CLIENTS; c++) for (let n = 0; n < EVENTS_PER_ROUND / CLIENTS; n++) clients[c].queue.push(mixedEvent(round, c, n));
      let stop = false;
      const base = srv.url;
      const runClient = async (cl: Client) => {
        while (!stop && cl.queue.length) {
          const batch = cl.queue.slice(0, 1 + Math.floor(Math.random() * 5));
          let res: Response;
          try {
            res = await fetch(base + '/v1/sync', { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${cl.token}` }, body: JSON.stringify({ events: batch }) });
            if (res.status >= 500) fiveXx++;
            if (res.status !== 200) throw new Error(`status ${res.status}`);
            const body = (await res.json()) as { results: { id: string; status: string }[] };
            for (const r of body.results) {
              if (r.status === 'rejected') rejected.push(r.id);
              cl.acked.add(r.id);
            }
            cl.queue.splice(0, batch.length);
          } catch {
            lostConnections++;
            return; // the server died: keep the batch queued for the next round
          }
        }
      };
      const running = Promise.all(clients.map(runClient));
      // a random moment inside the round (plus the backlog the last kill left)
      await Promise.race([running, sleep(50 + Math.random() * 600)]);
      stop = true;
      await srv.kill('SIGKILL');
      await running;
      srv = await startServer({ dataDir: first.dataDir, env });
      if (process.env.SEC_DEBUG) console.log('round', round, 'acked', clients.reduce((a, c) => a + c.acked.size, 0), Date.now());
    }
    // drain what was never acknowledged, then check every event's footprint
    api = realClient(srv.url, srv.agentToken);
    await Promise.all(
      clients.map(async (cl) => {
        while (cl.queue.length) {
          const batch = cl.queue.splice(0, 50);
          const r = await api.call('POST', '/v1/sync', { events: batch }, cl.token);
          expect(r.status).toBe(200);
          for (const x of r.json.results) {
            if (x.status === 'rejected') rejected.push(x.id);
            cl.acked.add(x.id);
          }
        }
      }),
    );
    await srv.kill('SIGKILL'); // read the file as a crash leaves it
    const counts = new Map(queryDb<{ text: string; n: number }>(first.dataDir, "SELECT text, count(*) AS n FROM messages WHERE text LIKE 'msg %' GROUP BY text").map((r) => [r.text, r.n]));
    const processed = queryDb<{ event_id: string }>(first.dataDir, 'SELECT event_id FROM processed_events');
    const processedIds = new Set(processed.map((r) => r.event_id));
    let messages = 0;
    for (let round = 0; round < ROUNDS; round++)
      for (let c = 0; c < CLIENTS; c++)
        for (let n = 0; n < EVENTS_PER_ROUND / CLIENTS; n++) {
          const ev = mixedEvent(round, c, n);
          expect(clients[c].acked.has(ev.id), ev.id).toBe(true);
          ackedTotal++;
          expect(processedIds.has(ev.id), ev.id).toBe(true);
          if (ev.type === 'message') {
            messages++;
            expect(counts.get(ev.text as string) ?? 0, ev.id).toBe(1);
          }
        }
    expect(processed.length).toBe(ackedTotal); // one idempotency row per event, no more
    expect(counts.size).toBe(messages);
    expect(fiveXx).toBe(0);
    expect(rejected).toEqual([]);
    console.log(`[security 11] ${ROUNDS} kill -9 rounds x ${CLIENTS} clients x ${EVENTS_PER_ROUND} new events per round: ${ackedTotal} acknowledged, ${messages} messages each present exactly once, ${lostConnections} requests cut by the kill, 5xx=${fiveXx}`);
  } finally {
    await srv.stop();
    await first.stop();
  }
}, 240_000);
