// Item 14: 100 live stream clients stay attached while the real server restarts 5 times; every agent message
// sent while they were cut off arrives exactly once (catch-up by Last-Event-ID, no duplicate with live),
// and reconnect attempts back off with jitter (the widget's backoffDelay).
import { expect, it } from 'vitest';
import { backoffDelay } from '../../../widget/src/client/backoff.js';
import { startServer, type RunningServer } from '../helpers/spawn-server.js';
import { realClient, sleep } from './lib/real-client.js';
import { startSseClient, type SseClient } from './lib/sse-client.js';

const CLIENTS = 100;
const RESTARTS = 5;

async function until(cond: () => boolean, ms: number, what: string) {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

it('14. 100 live clients across 5 restarts: every agent message exactly once, backoff with jitter', async () => {
  const env = { CHATIVE_RATE_LIMIT: '0' };
  let srv: RunningServer = await startServer({ env });
  const first = srv;
  const fixed = { ...env, PORT: String(first.port), CHATIVE_SITE_SECRET: first.secret, CHATIVE_AGENT_TOKEN: first.agentToken };
  let api = realClient(srv.url, srv.agentToken);
  const visitors: { token: string; conv: string; client?: SseClient; expected: Set<number> }[] = [];
  for (let i = 0; i < CLIENTS; i++) {
    const s = await api.session();
    const r = await api.sync(s.token, [{ type: 'message', text: `hello from ${i}` }]);
    visitors.push({ token: s.token, conv: r.json.results[0].message.conversationId, expected: new Set([r.json.results[0].message.seq]) });
  }
  const url = () => srv.url;
  for (const v of visitors) v.client = startSseClient({ url, token: v.token });
  const downtimeRetries: number[] = [];
  try {
    await until(() => visitors.every((v) => v.client!.connected), 30_000, 'all clients connected');
    const reply = async (v: (typeof visitors)[number], text: string) => {
      const r = await api.agent('POST', `/v1/conversations/${v.conv}/messages`, { text });
      expect(r.status).toBe(201);
      v.expected.add(r.json.seq);
    };
    for (let round = 0; round < RESTARTS; round++) {
      // live traffic, then the server goes away (kill -9 on odd rounds, graceful SIGTERM on even ones)
      if (round % 2 === 0) await Promise.all(visitors.map((v) => reply(v, `live ${round}`)));
      const attemptsBefore = visitors.map((v) => v.client!.attempts.length);
      await srv.kill(round % 2 ? 'SIGKILL' : 'SIGTERM');
      // the server stays down until every client has retried against the closed port at least once
      await until(() => visitors.every((v, i) => v.client!.attempts.slice(attemptsBefore[i]).some((a) => !a.ok)), 30_000, `round ${round}: every client saw the server gone`);
      srv = await startServer({ dataDir: first.dataDir, env: fixed });
      api = realClient(srv.url, srv.agentToken);
      // the agent answers everyone at once, before most clients are back
      await Promise.all(visitors.map((v) => reply(v, `while you were away ${round}`)));
      await until(() => visitors.every((v) => [...v.expected].every((seq) => v.client!.received.has(seq))), 60_000, `round ${round} delivery`);
      visitors.forEach((v, i) => downtimeRetries.push(v.client!.attempts.length - attemptsBefore[i]));
    }
    // one more reply each: a stream is ordered, so a late duplicate of anything earlier arrives before it
    await Promise.all(visitors.map((v) => reply(v, 'last word')));
    await until(() => visitors.every((v) => [...v.expected].every((seq) => v.client!.received.has(seq))), 60_000, 'last words');
    let delivered = 0;
    let duplicates = 0;
    let missing = 0;
    for (const v of visitors) {
      for (const seq of v.expected) {
        const n = v.client!.received.get(seq) ?? 0;
        if (n === 0) missing++;
        if (n > 1) duplicates++;
        delivered += Math.min(n, 1);
      }
      // nothing of other visitors ever arrives
      for (const seq of v.client!.received.keys()) expect(v.expected.has(seq)).toBe(true);
    }
    // jitter: the delays 100 clients chose before their first retry after the same kill are spread, not one
    // thundering herd (the chosen delays, not measured gaps: timing noise alone would make those differ)
    const firstRetryGaps = visitors.map((v) => {
      const a = v.client!.attempts;
      const failIdx = a.findIndex((x, i) => i > 0 && !x.ok);
      return failIdx > 0 && a[failIdx + 1] ? a[failIdx + 1].delay : NaN;
    }).filter((x) => !Number.isNaN(x));
    const distinct = new Set(firstRetryGaps).size;
    const spread = Math.max(...firstRetryGaps) - Math.min(...firstRetryGaps);
    console.log(`[security 14] ${CLIENTS} clients x ${RESTARTS} restarts: ${delivered} messages delivered (${CLIENTS * RESTARTS} agent replies sent while clients were cut off, ${CLIENTS * Math.ceil(RESTARTS / 2)} live, ${CLIENTS} own, ${CLIENTS} last words), ${missing} missing, ${duplicates} duplicated; reconnect attempts per client per outage: median ${median(downtimeRetries)}, ${distinct} distinct retry gaps among ${firstRetryGaps.length} clients`);
    expect(missing).toBe(0);
    expect(duplicates).toBe(0);
    expect(delivered).toBe(CLIENTS * (1 + RESTARTS + Math.ceil(RESTARTS / 2) + 1));
    expect(firstRetryGaps.length).toBeGreaterThan(CLIENTS / 2);
    expect(distinct).toBeGreaterThan(firstRetryGaps.length / 4);
    // the widget's jitter spans 50-100 % of the step: over many clients the spread covers most of it
    expect(spread).toBeGreaterThanOrEqual(Math.min(...firstRetryGaps) / 2);
  } finally {
    visitors.forEach((v) => v.client?.stop());
    await srv.stop();
    await first.stop();
  }
}, 240_000);

it('14. the widget backoff grows exponentially up to its cap, with 50–100 % jitter', () => {
  for (let attempt = 0; attempt < 20; attempt++) {
    const ceiling = Math.min(30_000, 500 * 2 ** attempt);
    const samples = Array.from({ length: 200 }, () => backoffDelay(attempt));
    expect(Math.min(...samples)).toBeGreaterThanOrEqual(Math.floor(ceiling / 2));
    expect(Math.max(...samples)).toBeLessThanOrEqual(ceiling);
    expect(new Set(samples).size).toBeGreaterThan(ceiling > 1000 ? 50 : 10);
  }
});

function median(xs: number[]) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? 0;
}
