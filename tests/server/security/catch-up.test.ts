// Issue 15, Medium 8: a stream reopened with Last-Event-ID: 0 sends one bounded page, says `resume` and ends;
// the widget's and the console's real stream clients still catch up fully (and promptly) by resuming.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createAgentStream } from '../../../demo-site/console/src/lib/agent-stream.js';
import { CATCH_UP } from '../../../server-stub/src/routes/stream.js';
import { createStream } from '../../../widget/src/client/stream.js';
import { createClient } from '../helpers/client.js';
import { openStream } from '../helpers/sse.js';
import { startServer, type RunningServer } from '../helpers/spawn-server.js';

const TOTAL = 450;
let srv: RunningServer;
let api: ReturnType<typeof createClient>;
let token = '';
let seqs: number[] = [];
beforeAll(async () => {
  srv = await startServer({ env: { CHATIVE_RATE_LIMIT: '0' } });
  api = createClient((p, i) => fetch(srv.url + p, i), srv.agentToken);
  token = (await api.session()).token;
  for (let done = 0; done < TOTAL; done += 90) {
    const r = await api.sync(token, Array.from({ length: Math.min(90, TOTAL - done) }, (_, i) => ({ type: 'message', text: `history ${done + i}` })));
    seqs.push(...r.json.results.map((x: any) => x.message.seq));
  }
});
afterAll(() => srv?.stop());

/** fetch that counts the messages each connection carried. */
function countingFetch() {
  const perConnection: number[] = [];
  const f = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const res = await fetch(input, init);
    const i = perConnection.push(0) - 1;
    if (!res.body) return res;
    const counted = res.body.pipeThrough(new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, ctl) {
        perConnection[i] += (new TextDecoder().decode(chunk).match(/^event: message$/gm) ?? []).length;
        ctl.enqueue(chunk);
      },
    }));
    return new Response(counted, { status: res.status, headers: res.headers });
  }) as typeof fetch;
  return { f, perConnection };
}

const until = async (pred: () => boolean, what: string) => {
  for (let i = 0; i < 300 && !pred(); i++) await new Promise((r) => setTimeout(r, 50));
  expect(pred(), what).toBe(true);
};

it('Last-Event-ID: 0 sends one bounded page, then `resume` with the last id, and ends', async () => {
  const st = openStream(`${srv.url}/v1/stream`, { authorization: `Bearer ${token}`, 'last-event-id': '0' });
  // bounded: a server that never pages would time out here rather than hang
  await st.until((e) => e.some((x) => x.event === 'resume'), 10_000).catch(async (err) => {
    await st.close();
    throw err;
  });
  await st.done;
  const msgs = st.messages();
  expect(msgs).toHaveLength(CATCH_UP.messages);
  const resume = st.events.at(-1)!;
  expect(resume.event).toBe('resume');
  expect(resume.data.after).toBe(msgs.at(-1).seq);
  expect(st.ended).toBe(true);
});

it('the widget stream client catches up fully by resuming, each connection carrying one bounded page', async () => {
  const { f, perConnection } = countingFetch();
  const got: number[] = [];
  const s = createStream({
    origin: srv.url, siteId: 'default', getToken: async () => token,
    lastSeq: () => got.at(-1) ?? 0, onMessage: (m) => got.push(m.seq), onContact: () => undefined, onUnauthorized: () => undefined, fetch: f,
  });
  s.start();
  try {
    await until(() => got.length >= TOTAL, `widget got ${got.length}/${TOTAL}`);
    expect(got).toEqual(seqs);
    expect(perConnection.length).toBeGreaterThanOrEqual(Math.ceil(TOTAL / CATCH_UP.messages));
    expect(Math.max(...perConnection)).toBeLessThanOrEqual(CATCH_UP.messages);
    // and it is live afterwards
    const live = await api.sync(token, [{ type: 'message', text: 'live after catch-up' }]);
    await until(() => got.at(-1) === live.json.results[0].message.seq, 'widget live message');
    seqs.push(live.json.results[0].message.seq);
    console.log(`[security 15] widget client: ${got.length} messages over ${perConnection.length} connections ${JSON.stringify(perConnection)}`);
  } finally {
    s.stop();
  }
});

it('the console stream client catches up fully by resuming too', async () => {
  const { f, perConnection } = countingFetch();
  const got: number[] = [];
  const st = createAgentStream(srv.agentToken, { url: `${srv.url}/v1/agent/stream`, fetchFn: f, startAfter: async () => '0' });
  st.subscribe((e) => { if (e.event === 'message') got.push((e.json as { seq: number }).seq); });
  st.start();
  try {
    await until(() => got.length >= seqs.length, `console got ${got.length}/${seqs.length}`);
    expect(got).toEqual(seqs);
    expect(perConnection.length).toBeGreaterThanOrEqual(Math.ceil(seqs.length / CATCH_UP.messages));
    expect(Math.max(...perConnection)).toBeLessThanOrEqual(CATCH_UP.messages);
    console.log(`[security 15] console client: ${got.length} messages over ${perConnection.length} connections ${JSON.stringify(perConnection)}`);
  } finally {
    st.stop();
  }
});
