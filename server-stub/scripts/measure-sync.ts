// POST /v1/sync throughput next to a bare node:http server that only parses the same JSON, in the same run.
// Usage: `npx tsx server-stub/scripts/measure-sync.ts [seconds=5] [connections=50]`
import autocannon from 'autocannon';
import { spawn } from 'node:child_process';
import { startServer } from '../../tests/server/helpers/spawn-server.js';

const seconds = Number(process.argv[2] ?? 5);
const connections = Number(process.argv[3] ?? 50);

const BARE = `
const http = require('node:http');
const s = http.createServer((req, res) => {
  let b = ''; req.on('data', (c) => (b += c)).on('end', () => {
    let j; try { j = JSON.parse(b); } catch { res.writeHead(400).end(); return; }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ results: j.events.map((e) => ({ id: e.id, status: 'applied' })), contact: null }));
  });
});
s.listen(0, '127.0.0.1', () => console.log('PORT ' + s.address().port));
process.on('SIGTERM', () => process.exit(0));`;

async function drive(url: string, tokens: string[], run: string) {
  let n = 0;
  const result = await autocannon({
    url: url + '/v1/sync',
    connections,
    duration: seconds,
    requests: [{
      method: 'POST',
      setupRequest: (req: any) => {
        const i = n++;
        return { ...req, headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens[i % tokens.length]}` }, body: JSON.stringify({ events: [{ id: `m-${run}-${i}`.padEnd(8, '0'), type: 'message', text: `hello ${i}` }] }) };
      },
    }],
  });
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, non2xx: result.non2xx, errors: result.errors };
}

const bare = spawn(process.execPath, ['-e', BARE], { stdio: ['ignore', 'pipe', 'inherit'] });
const barePort = await new Promise<number>((r) => bare.stdout!.on('data', (b: Buffer) => { const m = /PORT (\d+)/.exec(b.toString()); if (m) r(Number(m[1])); }));
await drive(`http://127.0.0.1:${barePort}`, ['x'], 'warm');
const base = await drive(`http://127.0.0.1:${barePort}`, ['x'], 'bare');
bare.kill('SIGTERM');

const srv = await startServer({ env: { CHATIVE_RATE_LIMIT: '0' } });
const tokens: string[] = [];
for (let i = 0; i < 200; i++) {
  const r = await fetch(srv.url + '/v1/sessions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"siteId":"default"}' });
  tokens.push(((await r.json()) as { token: string }).token);
}
await drive(srv.url, tokens, 'warm');
const ours = await drive(srv.url, tokens, 'run');
await srv.stop();

console.log(`bare node:http : ${Math.round(base.rps)} req/s  p50 ${base.p50} ms  p99 ${base.p99} ms`);
console.log(`chative /v1/sync: ${Math.round(ours.rps)} req/s  p50 ${ours.p50} ms  p99 ${ours.p99} ms  (non-2xx ${ours.non2xx}, errors ${ours.errors})`);
console.log(`ratio: ${(ours.rps / base.rps).toFixed(2)}x of bare node:http (1 message event per request, each fsynced to the WAL before its answer)`);
