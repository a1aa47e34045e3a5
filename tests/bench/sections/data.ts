// Contact data in and out (issue 13): CSV export of 1M seeded contacts (≤ 60 s, server RSS ≤ 300 MB), CSV import of 100k
// rows (≤ 60 s, bounded memory), and widget sync p99 while each runs against the same server idle (≤ 2×).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { rssMb } from '../lib/proc';
import { seedServerDir } from '../lib/seeded';
import { call, startBenchServer, type StartServer } from '../lib/server';
import { percentile } from '../lib/stats';
import type { BenchContext, SectionResult } from '../lib/section';

type Sampler = { stop(): number | null };
/** Samples a process's RSS every 100 ms; stop() answers the peak. */
function sampleRss(pid: number | null): Sampler {
  let peak: number | null = null;
  const tick = () => {
    const v = pid ? rssMb(pid) : null;
    if (v !== null && (peak === null || v > peak)) peak = v;
  };
  tick();
  const t = setInterval(tick, 100);
  return { stop: () => (clearInterval(t), tick(), peak) };
}

/** A few widgets syncing `update` events one after another until stopped; answers every latency (ms). */
function syncLoad(url: string, tokens: string[]) {
  const times: number[] = [];
  let running = true;
  let n = 0;
  let failed = 0;
  const one = async (token: string) => {
    while (running) {
      const t0 = performance.now();
      try {
        const res = await fetch(`${url}/v1/sync`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ events: [{ id: `b${n++}_${Math.random().toString(36).slice(2)}`, type: 'update', custom: {}, timezone: 'Europe/Berlin' }] }),
        });
        await res.arrayBuffer();
        if (res.ok) times.push(performance.now() - t0);
        else failed++;
      } catch {
        failed++; // a reset keep-alive socket on a loaded machine: counted, not fatal
      }
    }
  };
  const done = Promise.all(tokens.map(one));
  return { async stop() { running = false; await done; return Object.assign(times, { failed }); } };
}

export async function runData(ctx: BenchContext, start: StartServer | null): Promise<SectionResult> {
  const S = 'Data in and out';
  const contacts = ctx.quick ? 100_000 : 1_000_000;
  // the issue's size in both modes: a 10k import said little about 100k (memory, units, the contact cache);
  // CHATIVE_BENCH_IMPORT_ROWS shrinks it for before/after runs against an older tree's 10k
  const importRows = Number(process.env.CHATIVE_BENCH_IMPORT_ROWS) || 100_000;
  const label = (n: number) => (n >= 1_000_000 ? `${n / 1_000_000}M` : `${n / 1000}k`);
  if (!start) return { figures: [{ section: S, name: `export ${label(contacts)} contacts`, value: null, unit: 's', note: 'server not available in this run' }] };
  const dataDir = mkdtempSync(join(tmpdir(), 'chative-bench-data-'));
  const notes: string[] = [];
  const figures: SectionResult['figures'] = [];
  try {
    const seconds = await seedServerDir(ctx, start, dataDir, contacts, 'data');
    // a whole request must arrive within CHATIVE_REQUEST_TIMEOUT_MS (30 s): the 10 MB upload on a loaded machine may not (docs/PRIVACY.md)
    const { server, pid } = await startBenchServer(start, { CHATIVE_REQUEST_TIMEOUT_MS: '300000' }, dataDir);
    try {
      const tokens: string[] = [];
      for (let i = 0; i < 4; i++) tokens.push((await call<{ token: string }>(server.url, 'POST', '/v1/sessions', undefined, { siteId: 'default' })).token);
      // the import's file, built before anything is timed
      let csv = 'email,name,phone,plan,tags\n';
      for (let i = 0; i < importRows; i++) csv += `imp${i}@bench.example,Imported ${i},+4930${String(1000000 + i)},pro,imported\n`;
      // idle: the same load with nothing else running
      const idle = syncLoad(server.url, tokens);
      await new Promise((r) => setTimeout(r, ctx.quick ? 3000 : 8000));
      const idleTimes = await idle.stop();
      const idleP99 = percentile(idleTimes, 0.99);
      ctx.log(`data: sync p99 idle ${idleP99.toFixed(1)} ms (${idleTimes.length} syncs)`);

      // export, streamed and counted, while the widgets sync
      const rssBefore = pid ? rssMb(pid) : null;
      const rss = sampleRss(pid);
      const during = syncLoad(server.url, tokens);
      const t0 = performance.now();
      const res = await fetch(`${server.url}/v1/contacts/export.csv`, { headers: { authorization: `Bearer ${server.agentToken}` } });
      if (!res.ok || !res.body) throw new Error(`export answered ${res.status}`);
      let bytes = 0;
      let lines = 0;
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        bytes += chunk.byteLength;
        for (const b of chunk) if (b === 0x0a) lines++;
      }
      const exportS = (performance.now() - t0) / 1000;
      const exportSync = await during.stop();
      const exportPeak = rss.stop();
      const exportP99 = percentile(exportSync, 0.99);
      ctx.log(`data: export ${lines - 1} rows, ${(bytes / 1e6).toFixed(0)} MB in ${exportS.toFixed(1)} s, RSS peak ${exportPeak?.toFixed(0)} MB, sync p99 ${exportP99.toFixed(1)} ms`);
      if (lines - 1 < contacts) throw new Error(`export gave ${lines - 1} rows for ${contacts} contacts`);

      // import: new contacts by email, with a custom value and a tag, while the widgets sync
      const rss2 = sampleRss(pid);
      const during2 = syncLoad(server.url, tokens);
      const t1 = performance.now();
      // a fresh connection: a keep-alive socket idle since the export may be closed by the server as it is reused (ECONNRESET)
      const up = await fetch(`${server.url}/v1/contacts/import?match=email`, { method: 'POST', headers: { authorization: `Bearer ${server.agentToken}`, 'content-type': 'text/csv', connection: 'close' }, body: csv });
      const { jobId } = (await up.json()) as { jobId: string };
      if (up.status !== 202) throw new Error(`import answered ${up.status}`);
      let job: { status: string; result: { created: number; errorCount: number } | null };
      // the job's own status is the signal; one look every 250 ms costs nothing next to the import
      for (;;) {
        job = await call(server.url, 'GET', `/v1/imports/${jobId}`, server.agentToken);
        if (job.status !== 'running') break;
        await new Promise((r) => setTimeout(r, 250));
      }
      const importS = (performance.now() - t1) / 1000;
      const importSync = await during2.stop();
      const importPeak = rss2.stop();
      const importP99 = percentile(importSync, 0.99);
      ctx.log(`data: import ${importRows} rows → ${JSON.stringify(job.result).slice(0, 120)} in ${importS.toFixed(1)} s, RSS peak ${importPeak?.toFixed(0)} MB, sync p99 ${importP99.toFixed(1)} ms`);
      if (job.status !== 'done' || job.result?.created !== importRows) throw new Error(`import ended ${job.status} with ${JSON.stringify(job.result).slice(0, 200)}`);

      const L = label(contacts);
      figures.push(
        { section: S, name: `CSV export of ${L} contacts`, value: exportS, unit: 's', goal: { op: '<=', value: 60 }, compared: `${(bytes / 1e6).toFixed(0)} MB, ${Math.round((lines - 1) / exportS).toLocaleString('en-US')} rows/s` },
        { section: S, name: `server RSS peak during the ${L} export`, value: exportPeak, unit: 'MB', goal: { op: '<=', value: 300 }, compared: `${rssBefore?.toFixed(0)} MB before it` },
        { section: S, name: `CSV import of ${label(importRows)} rows`, value: importS, unit: 's', goal: { op: '<=', value: 60 }, compared: `${Math.round(importRows / importS).toLocaleString('en-US')} rows/s, time-sized write units (IMPORT_UNIT_MS) with a rest as long as each` },
        { section: S, name: `server RSS peak during the ${label(importRows)} import`, value: importPeak, unit: 'MB', compared: `${exportPeak?.toFixed(0)} MB peak during the export before it` },
        { section: S, name: 'sync p99, idle', value: idleP99, unit: 'ms', compared: `${idleTimes.length} syncs by 4 widgets` },
        { section: S, name: 'sync p99 during the export', value: exportP99, unit: 'ms', goal: { op: '<=', value: 2 * idleP99 }, compared: `${(exportP99 / idleP99).toFixed(2)}× idle (${exportSync.length} syncs)` },
        { section: S, name: 'sync p99 during the import', value: importP99, unit: 'ms', goal: { op: '<=', value: 2 * idleP99 }, compared: `${(importP99 / idleP99).toFixed(2)}× idle (${importSync.length} syncs)` },
      );
      notes.push(`Data: ${contacts.toLocaleString('en-US')} contacts seeded in ${seconds.toFixed(1)} s; the import's file is ${(csv.length / 1e6).toFixed(1)} MB.`);
    } catch (err) {
      // say what failed and what the server said: "fetch failed" alone hides the cause
      const cause = (err as { cause?: unknown }).cause;
      throw new Error(`${(err as Error).message}${cause ? ` (${String(cause)})` : ''}; server output: ${(server as { output?: () => string }).output?.().slice(-600) ?? ''}`);
    } finally {
      await server.stop();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
  return { figures, notes };
}
