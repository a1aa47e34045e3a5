// Issue 12 "How fast", the bulk part (moved out of search.ts so it runs without the search queries): a bulk add-tag
// over the customers of the seed (10%: 100k at 1M) ≤ 30 s, and the sync endpoint's p99 while it runs ≤ 2× its p99 idle.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { drive, type LoadResult } from '../lib/load';
import { seedServerDir } from '../lib/seeded';
import { call, startBenchServer, type StartServer } from '../lib/server';
import type { BenchContext, SectionResult } from '../lib/section';

const fmt = (r: LoadResult) => `p50 ${r.p50} ms, p99 ${r.p99} ms, ${Math.round(r.rps)} req/s`;

export async function runBulk(ctx: BenchContext, start: StartServer | null): Promise<SectionResult> {
  const S = 'Bulk actions';
  const size = ctx.quick ? 100_000 : 1_000_000;
  if (!start) return { figures: [{ section: S, name: 'bulk add-tag', value: null, unit: 's', note: 'server not available in this run' }] };
  const dataDir = mkdtempSync(join(tmpdir(), 'chative-bench-bulk-'));
  const notes: string[] = [];
  const figures: SectionResult['figures'] = [];
  try {
    const seconds = await seedServerDir(ctx, start, dataDir, size, 'bulk');
    const { server } = await startBenchServer(start, {}, dataDir);
    try {
      // visitors keep syncing while the job runs: the same load idle first, then during the job
      const sessions = await Promise.all(Array.from({ length: 20 }, () => call<{ token: string }>(server.url, 'POST', '/v1/sessions', undefined, { siteId: 'default' })));
      const load = (run: string, secs: number) => drive({
        url: server.url, path: '/v1/sync', connections: 10, durationS: secs,
        request: (n) => ({ headers: { authorization: `Bearer ${sessions[n % sessions.length].token}` }, body: JSON.stringify({ events: [{ id: `bench-${run}-${n}`, type: 'message', text: `hello ${n}` }] }) }),
      });
      const secs = ctx.quick ? 3 : 5;
      await load('warm', 2);
      const idle = await load('idle', secs);
      const t0 = performance.now();
      const { jobId } = await call<{ jobId: string }>(server.url, 'POST', '/v1/contacts/bulk', server.agentToken, { id: 'bench-bulk-0001', where: { all: [{ field: 'type', op: 'is', value: 'customer' }] }, action: { addTag: 'bulk-bench' } });
      const during = load('busy', secs);
      let job: { status: string; done: number; total: number; errorCount: number };
      // poll the job's own progress: the finish is the signal
      do {
        await new Promise((r) => setTimeout(r, 100));
        job = await call(server.url, 'GET', `/v1/jobs/${jobId}`, server.agentToken);
      } while (job.status === 'running');
      const bulkS = (performance.now() - t0) / 1000;
      const busy = await during;
      ctx.log(`bulk: add-tag over ${job.total.toLocaleString('en-US')} in ${bulkS.toFixed(1)} s (${job.status}, ${job.errorCount} errors); sync idle ${fmt(idle)}; during ${fmt(busy)}`);
      if (job.status !== 'done' || job.done !== job.total) throw new Error(`bulk job ended ${job.status} at ${job.done}/${job.total}`);
      figures.push({ section: S, name: `bulk add-tag over ${job.total.toLocaleString('en-US')} contacts`, value: bulkS, unit: 's', goal: { op: '<=', value: 30 }, compared: `status ${job.status}, ${job.done} done, ${Math.round(job.total / bulkS).toLocaleString('en-US')} contacts/s` });
      figures.push({ section: S, name: 'sync p99 during the bulk job ÷ idle', value: idle.p99 ? busy.p99 / idle.p99 : null, unit: '×', goal: { op: '<=', value: 2 }, compared: `idle ${fmt(idle)}; during the job (first ${secs} s) ${fmt(busy)}` });
      notes.push(`Bulk: seeded ${size.toLocaleString('en-US')} contacts in ${seconds.toFixed(1)} s (the contacts section's seed: 10% customers).`);
    } finally {
      await server.stop();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
  return { figures, notes };
}
