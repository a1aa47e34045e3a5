// CPU milliseconds per sync event of the Chative server in the checkout given as argv[2] (default: this one):
// a fixed amount of work (3,000 warm-up events, then 8,000 measured, 8 in flight, 100 visitors), and the server
// process's own CPU time from /proc, so the figure barely moves with other load on the machine — unlike req/s.
// Compare two checkouts by running them alternately (A B A B …) and taking the median of the pairwise ratios.
// Usage: node tests/bench/cpu-per-event.mjs [checkout-dir]
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import http from 'node:http';
const root = process.argv[2] ?? join(import.meta.dirname, '../..');
const dataDir = mkdtempSync(join(tmpdir(), 'ab-'));
const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'server-stub/src/main.ts')], { cwd: root,
  env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, CHATIVE_AGENT_TOKEN: randomBytes(32).toString('base64url'), CHATIVE_SITE_SECRET: randomBytes(32).toString('hex'), CHATIVE_RATE_LIMIT: '100000', CHATIVE_DEMO: '0' },
  stdio: ['ignore', 'pipe', 'inherit'] });
process.on('uncaughtException', (e) => { console.error('ERR', e.message); child.kill('SIGKILL'); process.exit(1); });
process.on('unhandledRejection', (e) => { console.error('ERR', e.message); child.kill('SIGKILL'); process.exit(1); });
const url = await new Promise((res) => { let o = ''; child.stdout.on('data', (b) => { o += b; const m = /CHATIVE_LISTENING (\S+)/.exec(o); if (m) res(m[1]); }); });
const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
const u = new URL(url);
function post(path, body, token) {
  return new Promise((res, rej) => {
    const data = JSON.stringify(body);
    const req = http.request({ host: u.hostname, port: u.port, path, method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data), origin: url, ...(token ? { authorization: `Bearer ${token}` } : {}) } }, (r) => { let s = ''; r.on('data', (c) => (s += c)); r.on('end', () => r.statusCode < 300 ? res(JSON.parse(s)) : rej(new Error(r.statusCode + ' ' + s))); });
    req.on('error', rej); req.end(data);
  });
}
const tokens = [];
for (let i = 0; i < 100; i++) tokens.push((await post('/v1/sessions', { siteId: 'default', timezone: 'Europe/Paris', locale: 'en' })).token);
const cpu = () => { const f = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1].split(' '); return (Number(f[11]) + Number(f[12])) * 10; };
let n = 0;
async function drive(count, run) {
  let next = 0;
  await Promise.all(Array.from({ length: 8 }, async () => { while (next < count) { const i = next++; await post('/v1/sync', { events: [{ id: `abevent-${run}-${i}`, type: 'message', text: `Hello from the bench, message ${i}` }] }, tokens[i % tokens.length]); n++; } }));
}
await drive(3000, 'w');
const c0 = cpu(); const t0 = Date.now();
await drive(8000, 'm');
const c1 = cpu(); const t1 = Date.now();
console.log(JSON.stringify({ root, cpuMsPerEvent: (c1 - c0) / 8000, wallS: (t1 - t0) / 1000 }));
child.kill('SIGKILL'); rmSync(dataDir, { recursive: true, force: true }); process.exit(0);
