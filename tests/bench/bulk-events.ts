// Standalone (npx tsx tests/bench/bulk-events.ts; N=10000 by default): how many agent-stream events (and bytes) a 10k bulk add-tag sends, and how long the stream lags the job.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSqliteStore } from '../../server-stub/src/storage/sqlite-store.js';
import { startServer } from '../server/helpers/spawn-server.js';

const N = Number(process.env.N ?? 10_000);
const dataDir = mkdtempSync(join(tmpdir(), 'chative-measure-'));
const store = createSqliteStore(join(dataDir, 'chative.sqlite'));
const AT = '2026-03-01T10:00:00.000Z';
await store.write((tx) => tx.importContacts(Array.from({ length: N }, (_, i) => ({
  id: `ct_m${String(i).padStart(6, '0')}`, siteId: 'default', type: 'lead' as const, name: `M ${i}`, email: `m${i}@example.com`, phone: null, timezone: null, locale: null,
  customerId: null, verified: false, note: null, createdAt: AT, lastSeenAt: AT, values: {}, tagIds: [],
}))));
await store.close();
const srv = await startServer({ dataDir, env: { CHATIVE_RATE_LIMIT: '0' } });
const auth = { authorization: `Bearer ${srv.agentToken}` };
const res = await fetch(`${srv.url}/v1/agent/stream`, { headers: auth });
const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
let bytes = 0, contactEvents = 0, text = '';
const t0 = performance.now();
const r = await (await fetch(`${srv.url}/v1/contacts/bulk`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ id: 'measure-1', where: { all: [] }, action: { addTag: 'wave' } }) })).json();
let jobDoneAt = 0;
const poll = (async () => {
  for (;;) {
    const j = await (await fetch(`${srv.url}/v1/jobs/${r.jobId}`, { headers: auth })).json();
    if (j.status !== 'running') { jobDoneAt = performance.now(); return j; }
    await new Promise((res) => setTimeout(res, 100));
  }
})();
while (contactEvents < N) {
  const { value, done } = await reader.read();
  if (done) break;
  bytes += Buffer.byteLength(value);
  text += value;
  let i: number;
  while ((i = text.indexOf('\n\n')) >= 0) { if (text.slice(0, i).startsWith('event: contact')) contactEvents++; text = text.slice(i + 2); }
}
const streamDone = performance.now();
const job = await poll;
console.log(JSON.stringify({ N, job: { status: job.status, done: job.done }, contactEvents, bytes, mbytes: (bytes / 1e6).toFixed(2), jobS: ((jobDoneAt - t0) / 1000).toFixed(1), streamS: ((streamDone - t0) / 1000).toFixed(1), perEventBytes: Math.round(bytes / contactEvents) }));
await reader.cancel();
await srv.stop();
rmSync(dataDir, { recursive: true, force: true });
