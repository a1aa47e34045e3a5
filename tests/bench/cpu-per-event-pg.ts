// CPU milliseconds per sync event on PostgreSQL, server (Node) and cluster apart: cpu-per-event.mjs's fixed amount
// of work (2,000 warm-up events, then 6,000 measured, 1 event a request) against one instance on a durable throwaway
// cluster, 50 requests in flight (the sync-pg section's concurrency, so units hold ~50 events as there). CPU from
// /proc barely moves with other load, unlike req/s: compare code by running alternately (A B A B) and reading the
// spread. PROF=dir runs the server under --cpu-prof and stops it gently so the profile is written.
// SOCKET=1 connects the server through the cluster's Unix socket instead of loopback TCP.
// Usage: [SOCKET=1] npx tsx tests/bench/cpu-per-event-pg.ts
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBenchPg } from './lib/pg';

const root = join(import.meta.dirname, '../..');
const pg = await startBenchPg();
if (!pg) throw new Error('PostgreSQL is not installed');
let dbUrl = pg.url;
if (process.env.SOCKET === '1') {
  const [{ dirs }] = await pg.sql`SELECT current_setting('unix_socket_directories') AS dirs`;
  const tcp = new URL(pg.url);
  dbUrl = `postgres://${tcp.username}@/${tcp.pathname.slice(1)}?host=${String(dirs).split(',')[0].trim()}&port=${tcp.port}`;
}
const dataDir = mkdtempSync(join(tmpdir(), 'abpg-'));
const prof = process.env.PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.PROF}`] : [];
const child = spawn(process.execPath, [...prof, '--import', 'tsx', join(root, 'server-stub/src/main.ts')], { cwd: root,
  env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, DATABASE_URL: dbUrl, CHATIVE_AGENT_TOKEN: randomBytes(32).toString('base64url'), CHATIVE_SITE_SECRET: randomBytes(32).toString('hex'), CHATIVE_RATE_LIMIT: '100000', CHATIVE_DEMO: '0' },
  stdio: ['ignore', 'pipe', 'inherit'] });
const url = await new Promise<string>((res) => { let o = ''; child.stdout!.on('data', (b) => { o += b; const m = /CHATIVE_LISTENING (\S+)/.exec(o); if (m) res(m[1]); }); });
const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
const u = new URL(url);
function post(path: string, body: unknown, token?: string): Promise<any> {
  return new Promise((res, rej) => {
    const data = JSON.stringify(body);
    const req = http.request({ host: u.hostname, port: u.port, path, method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data), origin: url, ...(token ? { authorization: `Bearer ${token}` } : {}) } },
      (r) => { let s = ''; r.on('data', (c) => (s += c)); r.on('end', () => (r.statusCode! < 300 ? res(JSON.parse(s)) : rej(new Error(`${r.statusCode} ${s}`)))); });
    req.on('error', rej);
    req.end(data);
  });
}
const tokens: string[] = [];
for (let i = 0; i < 200; i++) tokens.push((await post('/v1/sessions', { siteId: 'default', timezone: 'Europe/Paris', locale: 'en' })).token);
const [{ me }] = await pg.sql`SELECT pg_backend_pid() AS me`;
const postmaster = Number(/PPid:\s+(\d+)/.exec(readFileSync(`/proc/${me}/status`, 'utf8'))?.[1] ?? 0);
const cpuOf = (pid: number) => { try { const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' '); return (Number(f[11]) + Number(f[12])) * 10; } catch { return 0; } };
const cluster = () => [postmaster, ...execFileSync('pgrep', ['-P', String(postmaster)]).toString().trim().split('\n').map(Number)].reduce((a, p) => a + cpuOf(p), 0);
async function drive(count: number, run: string) {
  let next = 0;
  await Promise.all(Array.from({ length: 50 }, async () => {
    while (next < count) { const i = next++; await post('/v1/sync', { events: [{ id: `abevent-${run}-${i}`, type: 'message', text: `Hello from the bench, message ${i}` }] }, tokens[i % tokens.length]); }
  }));
}
await drive(2000, 'w');
const n0 = cpuOf(child.pid!); const p0 = cluster(); const t0 = Date.now();
await drive(6000, 'm');
const n1 = cpuOf(child.pid!); const p1 = cluster(); const t1 = Date.now();
console.log(JSON.stringify({ serverMs: (n1 - n0) / 6000, pgMs: (p1 - p0) / 6000, reqPerS: Math.round(6000 / ((t1 - t0) / 1000)) }));
child.kill(prof.length ? 'SIGTERM' : 'SIGKILL');
await new Promise((r) => child.once('exit', r));
rmSync(dataDir, { recursive: true, force: true });
await pg.stop();
process.exit(0);
