// Contact queries on PostgreSQL: the same seeded population and the same queries as contacts.ts, through one
// instance's agent API on a durable throwaway cluster; p95 at the large size against the 50 ms goal.
import { performance } from 'node:perf_hooks';
import { startBenchPg, TUNED_PG } from '../lib/pg';
import { createRandom } from '../lib/seed-contacts';
import { seedContactsPg } from '../lib/seed-contacts-pg';
import { call, startBenchServer, type StartServer } from '../lib/server';
import { median, percentile } from '../lib/stats';
import type { BenchContext, SectionResult } from '../lib/section';
import { QUERIES } from './contacts';

export async function runContactsPg(ctx: BenchContext, start: StartServer | null): Promise<SectionResult> {
  const S = 'Contacts on PostgreSQL';
  const sizes = ctx.quick ? [20_000, 100_000] : [100_000, 1_000_000];
  const label = (n: number) => (n >= 1_000_000 ? `${n / 1_000_000}M` : `${n / 1000}k`);
  const none = (note: string): SectionResult => ({ figures: QUERIES.map((q) => ({ section: S, name: `PostgreSQL ${q.name}, p95 at ${label(sizes[1])}`, value: null, unit: 'ms', goal: { op: '<=' as const, value: 50 }, note })) });
  if (!start) return none('server not available in this run');
  // a deployment tunes PostgreSQL (docs/DEPLOY.md); --pg-untuned measures the stock settings (shared_buffers 128 MB)
  const tuned = !process.argv.includes('--pg-untuned');
  const pg = await startBenchPg(tuned ? TUNED_PG : undefined);
  if (!pg) return none('PostgreSQL is not installed (/usr/lib/postgresql/*/bin): not measured');
  const reps = ctx.quick ? 8 : 30;
  const notes: string[] = [];
  const timings = new Map<number, { p50: number; p95: number; n: number }[]>();
  try {
    // the server creates the schema once; then it is stopped and the database seeded directly
    await (await startBenchServer(start, { DATABASE_URL: pg.url })).server.stop();
    let seeded = 0;
    for (const size of sizes) {
      const seconds = await seedContactsPg(pg.sql, seeded, size);
      ctx.log(`contacts on PostgreSQL: seeded ${seeded.toLocaleString('en-US')} → ${size.toLocaleString('en-US')} in ${seconds.toFixed(1)} s`);
      notes.push(`Contacts on PostgreSQL: seeding ${(size - seeded).toLocaleString('en-US')} contacts took ${seconds.toFixed(1)} s.`);
      seeded = size;
      const { server } = await startBenchServer(start, { DATABASE_URL: pg.url });
      try {
        const rnd = createRandom(7);
        const rows: { p50: number; p95: number; n: number }[] = [];
        for (const q of QUERIES) {
          const times: number[] = [];
          let empty = 0;
          for (let i = 0; i < reps + 2; i++) {
            const t0 = performance.now();
            const page = await call<{ items: unknown[] }>(server.url, 'GET', q.path(rnd), server.agentToken);
            if (i >= 2) times.push(performance.now() - t0);
            if (i >= 2 && page.items.length === 0) empty++;
          }
          if (empty > times.length / 2) throw new Error(`contacts on PostgreSQL @${size}: ${q.name} answered ${empty} of ${times.length} with no contact`);
          rows.push({ p50: median(times), p95: percentile(times, 0.95), n: times.length });
          ctx.log(`contacts on PostgreSQL @${size}: ${q.name}: p50 ${median(times).toFixed(1)} ms, p95 ${percentile(times, 0.95).toFixed(1)} ms`);
        }
        timings.set(size, rows);
      } finally {
        await server.stop();
      }
    }
  } finally {
    await pg.stop();
  }
  const small = timings.get(sizes[0])!;
  const big = timings.get(sizes[1])!;
  return {
    figures: QUERIES.map((q, i) => ({
      section: S, name: `PostgreSQL ${q.name}, p95 at ${label(sizes[1])}`, value: big[i].p95, unit: 'ms', goal: { op: '<=' as const, value: 50 },
      compared: `${tuned ? 'tuned cluster' : 'stock settings'}; p50 ${big[i].p50.toFixed(1)} ms; at ${label(sizes[0])} p50 ${small[i].p50.toFixed(1)} / p95 ${small[i].p95.toFixed(1)} ms (${big[i].n} queries each)`,
    })),
    comparisons: [{ title: `Contact queries on PostgreSQL, p95 at ${label(sizes[1])} contacts (ms; goal 50 ms at 1M)`, unit: 'ms', bars: QUERIES.map((q, i) => ({ label: q.name, value: big[i].p95, ours: true })) }],
    notes,
  };
}
