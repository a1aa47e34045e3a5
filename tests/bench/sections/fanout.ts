// Live fan-out: N widget streams (GET /v1/stream, Bearer header) held open at once, then agent replies
// (POST /v1/conversations/:id/messages) timed until they arrive on their visitor's stream.
import { Agent } from 'node:http';
import { performance } from 'node:perf_hooks';
import { rssMb } from '../lib/proc';
import { call, startBenchServer, type StartServer } from '../lib/server';
import { openSse, pool, type SseStream } from '../lib/sse';
import { median, percentile } from '../lib/stats';
import type { BenchContext, SectionResult } from '../lib/section';

export const FANOUT_GOAL = 5000;

export type FanoutOutcome = SectionResult & { rssMb: number | null; connections: number };

export async function runFanout(ctx: BenchContext, start: StartServer | null): Promise<FanoutOutcome> {
  const S = 'Live fan-out';
  const n = ctx.quick ? 500 : FANOUT_GOAL;
  const samples = ctx.quick ? 30 : 200;
  if (!start) {
    return { figures: [{ section: S, name: 'live widget connections held', value: null, unit: '', goal: { op: '>=', value: n }, note: 'server not available in this run' }], rssMb: null, connections: 0 };
  }
  const { server, pid } = await startBenchServer(start);
  const agent = new Agent({ keepAlive: true, maxSockets: Infinity });
  const streams: SseStream[] = [];
  try {
    let t = performance.now();
    const sessions = await pool(Array.from({ length: n }), 16, () =>
      call<{ token: string }>(server.url, 'POST', '/v1/sessions', undefined, { siteId: 'default', timezone: 'UTC' }));
    const tokens = sessions.flatMap((s) => (s.status === 'fulfilled' ? [s.value.token] : []));
    ctx.log(`fan-out: ${tokens.length}/${n} sessions in ${((performance.now() - t) / 1000).toFixed(1)} s`);

    // The sampled visitors write first, so each has a conversation an agent can answer.
    const conversations: string[] = [];
    for (let i = 0; i < Math.min(samples, tokens.length); i++) {
      const r = await call<{ results: { message?: { conversationId: string } }[] }>(server.url, 'POST', '/v1/sync', tokens[i],
        { events: [{ id: `fanout-hello-${i}`, type: 'message', text: 'Hello, anyone there?' }] });
      conversations.push(r.results[0].message!.conversationId);
    }

    const waiting = new Map<string, () => void>();
    t = performance.now();
    const opened = await pool(tokens, 64, (token) => openSse(`${server.url}/v1/stream`, token, agent, (e) => {
      if (e.event !== 'message') return;
      const text = (JSON.parse(e.data) as { text?: string }).text;
      if (text) waiting.get(text)?.();
    }));
    for (const o of opened) if (o.status === 'fulfilled') streams.push(o.value);
    const failed = opened.find((o) => o.status === 'rejected') as PromiseRejectedResult | undefined;
    ctx.log(`fan-out: ${streams.length}/${tokens.length} streams open in ${((performance.now() - t) / 1000).toFixed(1)} s${failed ? ` (first failure: ${failed.reason})` : ''}`);
    await new Promise((r) => setTimeout(r, 2000));
    const rss = pid ? rssMb(pid) : null;

    // Agent replies, four in flight, each timed from its POST to its arrival on the visitor's stream.
    const latencies: number[] = [];
    let lost = 0;
    await pool(conversations, 4, async (conversationId, i) => {
      const text = `bench reply ${i} ${Math.random().toString(36).slice(2)}`;
      const t0 = performance.now();
      const arrived = new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(false), 10_000);
        waiting.set(text, () => { clearTimeout(timer); resolve(true); });
      });
      await call(server.url, 'POST', `/v1/conversations/${conversationId}/messages`, server.agentToken, { text });
      if (await arrived) latencies.push(performance.now() - t0);
      else lost++;
      waiting.delete(text);
    });
    const stillOpen = streams.filter((s) => s.open).length;
    ctx.log(`fan-out: replies p50 ${median(latencies).toFixed(1)} ms, p99 ${percentile(latencies, 0.99).toFixed(1)} ms, lost ${lost}; ${stillOpen} streams still open; RSS ${rss?.toFixed(0)} MB`);
    return {
      figures: [
        { section: S, name: `live widget connections held (of ${n} opened)`, value: Math.min(stillOpen, streams.length), unit: '', goal: { op: '>=', value: n },
          note: failed ? `first failure: ${String(failed.reason).slice(0, 120)}` : undefined },
        { section: S, name: 'agent reply → widget stream, p50', value: latencies.length ? median(latencies) : null, unit: 'ms' },
        { section: S, name: 'agent reply → widget stream, p99', value: latencies.length ? percentile(latencies, 0.99) : null, unit: 'ms', goal: { op: '<=', value: 250 },
          compared: `${latencies.length} replies, 4 in flight, while ${stillOpen} streams were open${lost ? `; ${lost} never arrived` : ''}` },
      ],
      rssMb: rss,
      connections: stillOpen,
    };
  } finally {
    for (const s of streams) s.close();
    agent.destroy();
    await server.stop();
  }
}
