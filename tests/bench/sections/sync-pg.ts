// Sync on PostgreSQL, beside the SQLite figures of sync.ts in the same run: POST /v1/sync under 50 connections
// against one instance on a durable throwaway cluster (one event a request, then 20), then SIGKILL and a row count.
import { drive, type LoadResult } from '../lib/load';
import { startBenchPg } from '../lib/pg';
import { median } from '../lib/stats';
import { call, startBenchServer, type StartServer } from '../lib/server';
import { pool } from '../lib/sse';
import type { BenchContext, SectionResult } from '../lib/section';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** CPU seconds (user + system) a process has used so far; 0 once it is gone. */
function cpuSeconds(pid: number): number {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(f[11]) + Number(f[12])) / 100;
  } catch {
    return 0;
  }
}
/** The postmaster and its children (backends, WAL writer, checkpointer): where PostgreSQL's own CPU goes. */
function clusterPids(postmaster: number): number[] {
  try {
    return [postmaster, ...execFileSync('pgrep', ['-P', String(postmaster)]).toString().trim().split('\n').map(Number).filter(Boolean)];
  } catch {
    return [postmaster];
  }
}

const CONNECTIONS = 50;
const VISITORS = 500;
const BATCH = 20;
const fmt = (r: LoadResult) => `${Math.round(r.rps).toLocaleString('en-US')} req/s, p50 ${r.p50} ms, p99 ${r.p99} ms`;
const body = (run: string, n: number, count: number) =>
  JSON.stringify({ events: Array.from({ length: count }, (_, i) => ({ id: `bench-${run}-${n}-${i}`, type: 'message', text: `Hello from the bench, message ${n}.${i}` })) });

/** `sqlite`: the same run's SQLite figures (1 event/request), for the ratio. */
export async function runSyncPg(ctx: BenchContext, start: StartServer | null, sqlite: { rps: number; p99: number } | null): Promise<SectionResult> {
  const S = 'Sync on PostgreSQL';
  const none = (note: string): SectionResult => ({
    figures: [
      { section: S, name: 'PostgreSQL ÷ SQLite throughput (1 event/request)', value: null, unit: '×', goal: { op: '>=', value: 0.5 }, note },
      { section: S, name: 'PostgreSQL p99 latency, 1 event/request', value: null, unit: 'ms', note },
    ],
  });
  if (!start) return none('server not available in this run');
  const pg = await startBenchPg();
  if (!pg) return none('PostgreSQL is not installed (/usr/lib/postgresql/*/bin): not measured');
  const rounds = ctx.quick ? 1 : 3;
  const roundS = ctx.quick ? 3 : 5;
  const { server, pid } = await startBenchServer(start, { DATABASE_URL: pg.url });
  // the postmaster is our backend's parent: CPU per event is measured beside throughput (it does not swing with the
  // machine's load the way requests/s do)
  const [{ me }] = await pg.sql`SELECT pg_backend_pid() AS me`;
  const postmaster = Number(/PPid:\s+(\d+)/.exec(readFileSync(`/proc/${me}/status`, 'utf8'))?.[1] ?? 0);
  let killed = false;
  try {
    const sessions = await pool(Array.from({ length: ctx.quick ? 100 : VISITORS }), 8, () =>
      call<{ token: string }>(server.url, 'POST', '/v1/sessions', undefined, { siteId: 'default', timezone: 'Europe/Paris', locale: 'en' }));
    const tokens = sessions.flatMap((s) => (s.status === 'fulfilled' ? [s.value.token] : []));
    if (!tokens.length) throw new Error(`no session: ${String((sessions[0] as PromiseRejectedResult).reason)}`);
    let acked = 0;
    const load = async (run: string, count: number, seconds: number) => {
      const r = await drive({
        url: server.url, path: '/v1/sync', connections: CONNECTIONS, durationS: seconds,
        request: (n) => ({ headers: { authorization: `Bearer ${tokens[n % tokens.length]}` }, body: body(run, n, count) }),
      });
      acked += r.ok * count;
      return r;
    };
    await load('w', 1, ctx.quick ? 1 : 2);
    const singles: LoadResult[] = [];
    const cpuNow = () => ({ node: pid ? cpuSeconds(pid) : 0, pg: postmaster ? clusterPids(postmaster).reduce((a, p) => a + cpuSeconds(p), 0) : 0 });
    const cpu0 = cpuNow();
    for (let i = 0; i < rounds; i++) {
      singles.push(await load(`s${i}`, 1, roundS));
      ctx.log(`sync on PostgreSQL round ${i + 1}/${rounds}: ${fmt(singles[i])} (non-2xx ${singles[i].non2xx}, errors ${singles[i].errors})`);
    }
    const cpu1 = cpuNow();
    const events = singles.reduce((a, r) => a + r.ok, 0);
    const perEvent = (sec: number) => (events && pid ? (sec * 1000) / events : null);
    const nodeMs = perEvent(cpu1.node - cpu0.node);
    const pgMs = postmaster ? perEvent(cpu1.pg - cpu0.pg) : null;
    ctx.log(`sync on PostgreSQL CPU per event: server ${nodeMs?.toFixed(2)} ms, PostgreSQL ${pgMs?.toFixed(2)} ms`);
    const rps = median(singles.map((r) => r.rps));
    const p50 = median(singles.map((r) => r.p50));
    const p99 = median(singles.map((r) => r.p99));
    const batched = await load('b20', BATCH, ctx.quick ? 3 : 10);
    ctx.log(`sync on PostgreSQL batched x${BATCH}: ${fmt(batched)} = ${Math.round(batched.rps * BATCH)} events/s`);
    await server.kill('SIGKILL');
    killed = true;
    const [{ n: stored }] = await pg.sql`SELECT count(*) AS n FROM messages WHERE author = 'visitor'`;
    ctx.log(`sync on PostgreSQL durability: ${acked} acknowledged, ${stored} stored after SIGKILL`);
    // the same single rounds through the cluster's Unix socket (libpq's ?host=/dir, DEPLOY.md): a same-machine
    // deployment's figure, beside the headline's TCP (what instances on other machines use)
    const socket = await socketRounds(start, pg, tokens, rounds, roundS);
    ctx.log(`sync on PostgreSQL over the Unix socket: ${fmt(socket)}`);
    return {
      figures: [
        { section: S, name: 'PostgreSQL ÷ SQLite throughput (1 event/request)', value: sqlite ? rps / sqlite.rps : null, unit: '×', goal: { op: '>=', value: 0.5 },
          compared: `PostgreSQL ${Math.round(rps)} req/s (median of ${rounds} × ${roundS} s); SQLite ${sqlite ? Math.round(sqlite.rps) : '?'} req/s in the same run` },
        { section: S, name: 'PostgreSQL ÷ SQLite throughput over a Unix socket (1 event/request)', value: sqlite ? socket.rps / sqlite.rps : null, unit: '×',
          compared: `PostgreSQL ${Math.round(socket.rps)} req/s, p50 ${socket.p50} ms, p99 ${socket.p99} ms through the cluster's socket (a second server on the same database after the TCP rounds); SQLite ${sqlite ? Math.round(sqlite.rps) : '?'} req/s` },
        { section: S, name: 'PostgreSQL p50 latency, 1 event/request', value: p50, unit: 'ms' },
        { section: S, name: 'PostgreSQL p99 latency, 1 event/request', value: p99, unit: 'ms', compared: sqlite ? `SQLite p99 ${sqlite.p99} ms` : undefined },
        { section: S, name: 'CPU per event, 1 event/request: server (Node) + PostgreSQL', value: nodeMs !== null && pgMs !== null ? nodeMs + pgMs : null, unit: 'ms',
          compared: `server ${nodeMs?.toFixed(2) ?? '?'} ms + PostgreSQL processes ${pgMs?.toFixed(2) ?? '?'} ms (user + system CPU over the single rounds ÷ events acknowledged)` },
        { section: S, name: `PostgreSQL batched (${BATCH} events/request)`, value: batched.rps * BATCH, unit: 'events/s', compared: fmt(batched) },
        { section: S, name: 'PostgreSQL events stored ÷ acknowledged (after SIGKILL)', value: acked ? stored / acked : null, unit: '×', goal: { op: '>=', value: 1 }, note: `${acked} acked, ${stored} stored` },
      ],
      comparisons: sqlite ? [{
        title: 'POST /v1/sync, 1 event/request, 50 connections (requests/s, same run)',
        unit: 'req/s',
        bars: [{ label: 'SQLite', value: sqlite.rps, ours: true }, { label: 'PostgreSQL, one instance', value: rps, ours: true }],
      }] : [],
      notes: [`Sync on PostgreSQL: one instance on a durable local cluster (fsync on, synchronous_commit on), same machine as the server and the load generator; every event durable before its answer.`],
    };
  } finally {
    if (!killed) await server.stop();
    else await server.stop().catch(() => undefined);
    await pg.stop();
  }
}

/** `rounds` single-event rounds against a fresh server that reaches the cluster through its Unix socket; the median round. */
async function socketRounds(start: StartServer, pg: { url: string; sql: import('postgres').Sql }, tokens: string[], rounds: number, roundS: number): Promise<LoadResult> {
  const [{ dirs }] = await pg.sql`SELECT current_setting('unix_socket_directories') AS dirs`;
  const tcp = new URL(pg.url);
  const url = `postgres://${tcp.username}@/${tcp.pathname.slice(1)}?host=${String(dirs).split(',')[0].trim()}&port=${tcp.port}`;
  const { server } = await startBenchServer(start, { DATABASE_URL: url });
  try {
    const load = (run: string, seconds: number) => drive({
      url: server.url, path: '/v1/sync', connections: CONNECTIONS, durationS: seconds,
      request: (n) => ({ headers: { authorization: `Bearer ${tokens[n % tokens.length]}` }, body: body(run, n, 1) }),
    });
    await load('uw', 1);
    const runs: LoadResult[] = [];
    for (let i = 0; i < rounds; i++) runs.push(await load(`u${i}`, roundS));
    return runs.sort((a, b) => a.rps - b.rps)[Math.floor(runs.length / 2)];
  } finally {
    await server.stop();
  }
}
