// Sync endpoint: POST /v1/sync under 50 connections next to a bare node:http JSON server measured in
// the same run; one event a request and 20 a request; then a SIGKILL and a row count proves that
// every acknowledged event was stored.
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { startChild } from '../lib/children';
import { findDbFile } from '../lib/db-files';
import { drive, type LoadResult } from '../lib/load';
import { median } from '../lib/stats';
import { watchRss } from '../lib/proc';
import { hotspots, newestProfile } from '../lib/cpu-profile';
import { call, startBenchServer, type StartServer } from '../lib/server';
import { pool } from '../lib/sse';
import type { BenchContext, SectionResult } from '../lib/section';

const CONNECTIONS = 50;
// Visitors the 50 connections write for, round-robin: a few dozen messages per conversation, as in life.
const VISITORS = 500;
const BATCH = 20;

const fmt = (r: LoadResult) => `${Math.round(r.rps).toLocaleString('en-US')} req/s, p50 ${r.p50} ms, p99 ${r.p99} ms`;

/** A body of `count` message events with ids unique across the whole run. */
function batchBody(run: string, n: number, count: number): string {
  const events = Array.from({ length: count }, (_, i) => ({ id: `bench-${run}-${n}-${i}`, type: 'message', text: `Hello from the bench, message ${n}.${i}` }));
  return JSON.stringify({ events });
}

export type SyncOutcome = SectionResult & { rssIdleMb: number | null; rssPeakMb: number | null; single?: { rps: number; p99: number } };

/** With `profileDir`, the server runs under --cpu-prof and ends with SIGTERM so the profile is written. */
export async function runSync(ctx: BenchContext, start: StartServer | null, profileDir?: string): Promise<SyncOutcome> {
  const S = 'Sync';
  const sectionStart = Date.now();
  const durationS = ctx.quick ? 3 : 10;
  const warmS = ctx.quick ? 1 : 2;
  const notes: string[] = [];

  // The bare server runs beside the real one; rounds alternate between them so a change in the
  // machine's background load hits both, and the figure is the median of the per-round ratios.
  const rounds = ctx.quick ? 1 : 3;
  const roundS = ctx.quick ? 3 : 5;
  const bare = await startChild(join(ctx.root, 'tests/bench/baseline-server.ts'));
  const bareUrl = `http://127.0.0.1:${bare.port}`;
  const bareReq = (n: number) => ({ headers: { authorization: 'Bearer x' }, body: batchBody('w', n, 1) });
  const bareLoad = (seconds: number) => drive({ url: bareUrl, path: '/v1/sync', connections: CONNECTIONS, durationS: seconds, request: bareReq });

  const missing = (name: string, goal?: { op: '<=' | '>='; value: number }, unit = 'ms') =>
    ({ section: S, name, value: null, unit, goal, note: 'server not available in this run' });
  if (!start) {
    await bareLoad(warmS);
    const base = await bareLoad(roundS);
    await bare.stop();
    return {
      figures: [missing('throughput vs bare node:http', { op: '>=', value: 0.45 }, '×'), missing('p99 latency, 1 event/request', { op: '<=', value: 25 })],
      notes: [`Bare node:http alone: ${fmt(base)}.`], rssIdleMb: null, rssPeakMb: null,
    };
  }

  const { server, pid } = await startBenchServer(start);
  let killed = false;
  try {
    await new Promise((r) => setTimeout(r, 1000));
    const idle = pid ? watchRss(pid).stop().last : null;
    const sessions = await pool(Array.from({ length: ctx.quick ? 100 : VISITORS }), 8, () =>
      call<{ token: string }>(server.url, 'POST', '/v1/sessions', undefined, { siteId: 'default', timezone: 'Europe/Paris', locale: 'en' }));
    const tokens = sessions.flatMap((s) => (s.status === 'fulfilled' ? [s.value.token] : []));
    if (tokens.length === 0) throw new Error(`no session: ${String((sessions[0] as PromiseRejectedResult).reason)}`);
    const rss = pid ? watchRss(pid) : null;
    let acked = 0;
    const load = async (run: string, count: number, seconds: number) => {
      const r = await drive({
        url: server.url, path: '/v1/sync', connections: CONNECTIONS, durationS: seconds,
        request: (n) => ({ headers: { authorization: `Bearer ${tokens[n % tokens.length]}` }, body: batchBody(run, n, count) }),
      });
      acked += r.ok * count;
      return r;
    };
    await bareLoad(warmS);
    await load('w1', 1, warmS);
    const bases: LoadResult[] = [];
    const singles: LoadResult[] = [];
    for (let i = 0; i < rounds; i++) {
      bases.push(await bareLoad(roundS));
      singles.push(await load(`s${i}`, 1, roundS));
      ctx.log(`sync round ${i + 1}/${rounds}: bare ${fmt(bases[i])}; Chative ${fmt(singles[i])} (non-2xx ${singles[i].non2xx}, errors ${singles[i].errors})`);
    }
    await bare.stop();
    const mid = (rs: LoadResult[], k: keyof LoadResult) => median(rs.map((r) => r[k]));
    const summary = (rs: LoadResult[]): LoadResult => ({
      rps: mid(rs, 'rps'), p50: mid(rs, 'p50'), p99: mid(rs, 'p99'),
      ok: rs.reduce((a, r) => a + r.ok, 0), errors: rs.reduce((a, r) => a + r.errors, 0), non2xx: rs.reduce((a, r) => a + r.non2xx, 0),
    });
    const base = summary(bases);
    const single = summary(singles);
    const ratio = median(singles.map((r, i) => r.rps / bases[i].rps));
    const batched = await load('b20', BATCH, durationS);
    ctx.log(`sync batched x${BATCH}: ${fmt(batched)} = ${Math.round(batched.rps * BATCH)} events/s`);
    const peak = rss ? rss.stop().peak : null;

    // Durability: kill without warning, then count what is on disk against what was acknowledged.
    await server.kill(profileDir ? 'SIGTERM' : 'SIGKILL');
    killed = true;
    if (profileDir) {
      const profile = newestProfile(profileDir, sectionStart);
      if (profile) {
        const top = hotspots(profile, ctx.root, 8).map((h) => `${h.name} ${(h.share * 100).toFixed(1)}%`).join('; ');
        ctx.log(`sync server CPU profile, self time: ${top}`);
        notes.push(`Sync server CPU profile (--cpu-prof, whole run), top self time: ${top}.`);
      }
    }
    const file = findDbFile(server.dataDir);
    let stored: number | null = null;
    if (file) {
      const db = new Database(file, { readonly: true, fileMustExist: true });
      stored = (db.prepare("SELECT count(*) AS n FROM messages WHERE author = 'visitor'").get() as { n: number }).n;
      db.close();
    }
    const durable = stored !== null && stored >= acked;
    ctx.log(`durability: ${acked} events acknowledged, ${stored} stored after ${profileDir ? 'SIGTERM' : 'SIGKILL'}`);
    notes.push(`Sync durability check: ${acked.toLocaleString('en-US')} message events acknowledged with 2xx, ${stored?.toLocaleString('en-US') ?? 'unknown'} found in SQLite after SIGKILL of the server.`);
    if (single.non2xx || single.errors) notes.push(`Sync single run had ${single.non2xx} non-2xx answers and ${single.errors} socket errors/timeouts (not counted as throughput).`);
    return {
      figures: [
        { section: S, name: 'throughput vs bare node:http (1 event/request)', value: ratio, unit: '×', goal: { op: '>=', value: 0.45 },
          compared: `medians of ${rounds} alternating ${roundS} s rounds: Chative ${fmt(single)}; bare ${fmt(base)}` },
        { section: S, name: 'p50 latency, 1 event/request', value: single.p50, unit: 'ms' },
        { section: S, name: 'p99 latency, 1 event/request', value: single.p99, unit: 'ms', goal: { op: '<=', value: 25 } },
        { section: S, name: 'events stored ÷ events acknowledged (after SIGKILL)', value: stored === null || acked === 0 ? null : stored / acked, unit: '×', goal: { op: '>=', value: 1 },
          note: `${acked} acked, ${stored ?? '?'} stored${durable ? '' : ' — acknowledged events lost'}` },
        { section: S, name: `batched (${BATCH} events/request)`, value: batched.rps * BATCH, unit: 'events/s', compared: fmt(batched) },
      ],
      comparisons: [{
        title: 'POST /v1/sync, 50 connections (requests/s, same run)',
        unit: 'req/s',
        bars: [{ label: 'bare node:http, parse only', value: base.rps }, { label: 'Chative, 1 event stored', value: single.rps, ours: true }],
      }],
      notes,
      rssIdleMb: idle,
      rssPeakMb: peak,
      single: { rps: single.rps, p99: single.p99 },
    };
  } finally {
    await bare.stop();
    if (!killed) await server.stop();
    else await server.stop().catch(() => undefined);
  }
}
