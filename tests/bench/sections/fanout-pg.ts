// Live fan-out on PostgreSQL, beside the SQLite figures of fanout.ts in the same run: 5,000 widget streams held open,
// agent replies timed from their POST to their arrival on the visitor's stream — (a) one instance on PostgreSQL,
// (b) two instances on one PostgreSQL behind haproxy (DEPLOY.md's config), streams and replies both through the proxy
// so about half the replies cross instances (doorbell → tailer → stream). Also the server CPU spent per reply, and
// where the latency goes: the PostgreSQL servers write CHATIVE_LIVE_TRACE lines, joined by seq with the client's clock.
import { Agent } from 'node:http';
import { performance } from 'node:perf_hooks';
import { haproxyBin, startHaproxy } from '../../server/helpers/haproxy';
import { startBenchPg } from '../lib/pg';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { attribute, type Attribution, type TimedReply } from '../lib/live-trace';
import { call, startBenchServer, type StartServer } from '../lib/server';
import { openSse, pool, type SseStream } from '../lib/sse';
import { median, percentile } from '../lib/stats';
import type { BenchContext, SectionResult } from '../lib/section';
import { FANOUT_GOAL } from './fanout';

/** User + system CPU of one process in seconds (/proc, clock ticks of 100 Hz), or null when it is gone. */
function cpuSeconds(pid: number): number | null {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(f[11]) + Number(f[12])) / 100;
  } catch {
    return null;
  }
}

type Target = { url: string; agentToken: string; pids: number[]; trace?: string };
type Outcome = { firstFailure?: string; held: number; opened: number; p50: number | null; p99: number | null; lost: number; cpuMsPerReply: number | null; replies: number; where: Attribution | null };

/** Opens n streams on target.url, then times `samples` agent replies (four in flight). */
async function measure(ctx: BenchContext, label: string, target: Target, n: number, samples: number): Promise<Outcome> {
  const agent = new Agent({ keepAlive: true, maxSockets: Infinity });
  const streams: SseStream[] = [];
  try {
    let t = performance.now();
    const sessions = await pool(Array.from({ length: n }), 16, () => call<{ token: string }>(target.url, 'POST', '/v1/sessions', undefined, { siteId: 'default', timezone: 'UTC' }));
    const tokens = sessions.flatMap((s) => (s.status === 'fulfilled' ? [s.value.token] : []));
    ctx.log(`${label}: ${tokens.length}/${n} sessions in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    const conversations: string[] = [];
    for (let i = 0; i < Math.min(samples, tokens.length); i++) {
      const r = await call<{ results: { message?: { conversationId: string } }[] }>(target.url, 'POST', '/v1/sync', tokens[i], { events: [{ id: `fanout-pg-hello-${i}`, type: 'message', text: 'Hello?' }] });
      conversations.push(r.results[0].message!.conversationId);
    }
    const waiting = new Map<string, (seq: number) => void>();
    t = performance.now();
    const opened = await pool(tokens, 64, (token) => openSse(`${target.url}/v1/stream`, token, agent, (e) => {
      if (e.event !== 'message') return;
      const text = (JSON.parse(e.data) as { text?: string }).text;
      if (text) waiting.get(text)?.(Number(e.id));
    }));
    for (const o of opened) if (o.status === 'fulfilled') streams.push(o.value);
    const failed = opened.find((o) => o.status === 'rejected') as PromiseRejectedResult | undefined;
    const firstFailure = failed ? String(failed.reason).slice(0, 120) : undefined;
    ctx.log(`${label}: ${streams.length}/${tokens.length} streams open in ${((performance.now() - t) / 1000).toFixed(1)} s${firstFailure ? ` (first failure: ${firstFailure})` : ''}`);
    await new Promise((r) => setTimeout(r, 2000));
    const cpu0 = target.pids.reduce((s, p) => s + (cpuSeconds(p) ?? 0), 0);
    const latencies: number[] = [];
    const timed: TimedReply[] = [];
    let lost = 0;
    await pool(conversations, 4, async (conversationId, i) => {
      const text = `pg bench reply ${i} ${Math.random().toString(36).slice(2)}`;
      const t0 = performance.now();
      const arrived = new Promise<number | null>((resolve) => {
        const timer = setTimeout(() => resolve(null), 10_000);
        waiting.set(text, (seq) => { clearTimeout(timer); resolve(seq); });
      });
      await call(target.url, 'POST', `/v1/conversations/${conversationId}/messages`, target.agentToken, { text });
      const seq = await arrived;
      if (seq !== null) {
        const t1 = performance.now();
        latencies.push(t1 - t0);
        timed.push({ seq, t0: performance.timeOrigin + t0, t1: performance.timeOrigin + t1 });
      } else lost++;
      waiting.delete(text);
    });
    const cpu1 = target.pids.reduce((s, p) => s + (cpuSeconds(p) ?? 0), 0);
    const held = streams.filter((s) => s.open).length;
    const out: Outcome = {
      firstFailure, held, opened: streams.length, lost, replies: conversations.length,
      p50: latencies.length ? median(latencies) : null,
      p99: latencies.length ? percentile(latencies, 0.99) : null,
      cpuMsPerReply: target.pids.length && conversations.length ? ((cpu1 - cpu0) * 1000) / conversations.length : null,
      where: target.trace ? attribute(target.trace, timed) : null,
    };
    ctx.log(`${label}: replies p50 ${out.p50?.toFixed(1)} ms, p99 ${out.p99?.toFixed(1)} ms, lost ${lost}; ${held} streams still open; server CPU ${out.cpuMsPerReply?.toFixed(2)} ms/reply`);
    const w = out.where;
    const f = (x: { p50: number; p99: number } | null) => (x ? `p50 ${x.p50.toFixed(1)} / p99 ${x.p99.toFixed(1)} ms` : '–');
    if (w) ctx.log(`${label}: POST → commit ${f(w.post)} (→ insert ${f(w.toInsert)}, insert → commit ${f(w.insertToCommit)}); commit → stream: other instance (${w.cross}) ${f(w.crossing)}, same (${w.same}) ${f(w.local)}; stream → client ${f(w.delivery)}; carried by the doorbell ${w.carried === null ? '–' : `${Math.round(w.carried * 100)} %`}`);
    return out;
  } finally {
    for (const s of streams) s.close();
    agent.destroy();
  }
}

export async function runFanoutPg(ctx: BenchContext, start: StartServer | null): Promise<SectionResult> {
  const S = 'Live fan-out on PostgreSQL';
  const n = ctx.quick ? 500 : FANOUT_GOAL;
  const samples = ctx.quick ? 30 : 200;
  const rows = (label: string, o: Outcome | null, note?: string) => [
    { section: S, name: `${label}: live widget connections held (of ${n})`, value: o ? Math.min(o.held, o.opened) : null, unit: '', goal: { op: '>=' as const, value: n }, note: note ?? (o?.firstFailure && `first failure: ${o.firstFailure}`) },
    { section: S, name: `${label}: agent reply → widget stream, p50`, value: o?.p50 ?? null, unit: 'ms', note },
    { section: S, name: `${label}: agent reply → widget stream, p99`, value: o?.p99 ?? null, unit: 'ms', goal: { op: '<=' as const, value: 250 }, note,
      compared: o ? `${o.replies} replies, 4 in flight${o.lost ? `; ${o.lost} never arrived` : ''}` : undefined },
    { section: S, name: `${label}: server CPU per reply (all instances)`, value: o?.cpuMsPerReply ?? null, unit: 'ms', note },
    ...(o?.where ? whereRows(label, o.where) : []),
  ];
  const p5099 = (x: { p50: number; p99: number; n: number }) => `p50 ${x.p50.toFixed(1)} ms, ${x.n} replies`;
  const whereRows = (label: string, w: Attribution) => [
    { section: S, name: `${label}: where it goes — POST → commit on the writer, p99`, value: w.post.p99, unit: 'ms', compared: p5099(w.post) },
    { section: S, name: `${label}: where it goes — of which POST → insert (proxy, HTTP, the instance's queue of write units, BEGIN), p99`, value: w.toInsert.p99, unit: 'ms', compared: p5099(w.toInsert) },
    { section: S, name: `${label}: where it goes — of which insert → commit (seq lock, updates, listeners, COMMIT), p99`, value: w.insertToCommit.p99, unit: 'ms', compared: p5099(w.insertToCommit) },
    ...(w.crossing ? [{ section: S, name: `${label}: where it goes — commit → written to a stream on the other instance, p99`, value: w.crossing.p99, unit: 'ms',
      compared: `${p5099(w.crossing)}; ${Math.round((w.carried ?? 0) * 100)} % published from the doorbell's row, the rest after a read` }] : []),
    ...(w.local ? [{ section: S, name: `${label}: where it goes — commit → written to a stream on the writer, p99`, value: w.local.p99, unit: 'ms', compared: p5099(w.local) }] : []),
    { section: S, name: `${label}: where it goes — written → arrived at the client, p99`, value: w.delivery.p99, unit: 'ms', compared: p5099(w.delivery) },
  ];
  if (!start) return { figures: [...rows('PG, 1 instance', null, 'server not available'), ...rows('PG, 2 instances + haproxy', null, 'server not available')] };
  // SQLite measured the same way first, so the CPU per reply of the engines sits side by side
  let sqlite: Outcome | null = null;
  {
    const { server, pid } = await startBenchServer(start);
    try {
      sqlite = await measure(ctx, 'fan-out SQLite (same method)', { url: server.url, agentToken: server.agentToken, pids: pid ? [pid] : [] }, n, samples);
    } finally {
      await server.stop();
    }
  }
  const sqliteCpu = { section: S, name: 'SQLite, 1 instance: server CPU per reply (same method)', value: sqlite.cpuMsPerReply, unit: 'ms' };
  const pg = await startBenchPg();
  if (!pg) return { figures: [sqliteCpu, ...rows('PG, 1 instance', null, 'PostgreSQL is not installed: not measured'), ...rows('PG, 2 instances + haproxy', null, 'PostgreSQL is not installed: not measured')] };
  const notes: string[] = [];
  const traces = mkdtempSync(join(tmpdir(), 'chative-fanout-trace-'));
  try {
    let one: Outcome | null = null;
    {
      const trace = join(traces, 'one.jsonl');
      const { server, pid } = await startBenchServer(start, { DATABASE_URL: pg.url, CHATIVE_LIVE_TRACE: trace });
      try {
        one = await measure(ctx, 'fan-out PG 1 instance', { url: server.url, agentToken: server.agentToken, pids: pid ? [pid] : [], trace }, n, samples);
      } finally {
        await server.stop();
      }
    }
    let two: Outcome | null = null;
    let twoNote: string | undefined;
    if (!haproxyBin) twoNote = 'haproxy is not installed: not measured';
    else {
      const trace = join(traces, 'two.jsonl');
      const a = await startBenchServer(start, { DATABASE_URL: pg.url, CHATIVE_TRUST_PROXY: '1', CHATIVE_LIVE_TRACE: trace });
      const b = await startBenchServer(start, { DATABASE_URL: pg.url, CHATIVE_TRUST_PROXY: '1', CHATIVE_LIVE_TRACE: trace, CHATIVE_AGENT_TOKEN: a.server.agentToken, CHATIVE_SITE_SECRET: a.server.secret });
      const lb = await startHaproxy([{ name: 'A', port: a.server.port }, { name: 'B', port: b.server.port }], { maxconn: n + 1000, deployChecks: true });
      try {
        await lb.waitUp(['A', 'B']);
        two = await measure(ctx, 'fan-out PG 2 instances + haproxy', { url: lb.url, agentToken: a.server.agentToken, pids: [a.pid, b.pid].filter((p): p is number => !!p), trace }, n, samples);
      } finally {
        await lb.stop();
        await Promise.all([a.server.stop(), b.server.stop()]);
      }
    }
    notes.push('PostgreSQL fan-out: a durable throwaway cluster on the same 2 cores as the instances, the bench client and haproxy; two instances cannot show scaling here (they share the cores), only the cost of crossing: doorbell (NOTIFY after commit) → the other instance\'s tailer reads by seq → its streams.');
    return { figures: [sqliteCpu, ...rows('PG, 1 instance', one), ...rows('PG, 2 instances + haproxy', two, twoNote)], notes };
  } finally {
    await pg.stop();
    rmSync(traces, { recursive: true, force: true });
  }
}
