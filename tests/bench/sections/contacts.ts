// Contact queries through the agent API at 100k and 1M seeded contacts (10 tags, 5 custom fields):
// p50/p95 of each query kind, the goal applying at 1M.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { findDbFile } from '../lib/db-files';
import { rssMb } from '../lib/proc';
import { FIRST, LAST, createRandom, seedContacts } from '../lib/seed-contacts';
import { call, startBenchServer, type StartServer } from '../lib/server';
import { median, percentile } from '../lib/stats';
import type { BenchContext, SectionResult } from '../lib/section';

type Query = { name: string; path: (rnd: () => number) => string };

export const QUERIES: Query[] = [
  { name: 'list, first page', path: () => '/v1/contacts?limit=50' },
  { name: 'filter by a tag', path: () => '/v1/contacts?tag=trial&limit=50' },
  { name: 'filter by two tags', path: () => '/v1/contacts?tag=vip&tag=billing&limit=50' },
  { name: 'filter by a custom field value', path: () => '/v1/contacts?field.plan=enterprise&limit=50' },
  { name: 'search by email prefix', path: (rnd) => `/v1/contacts?q=${FIRST[Math.floor(rnd() * FIRST.length)]}.${LAST[Math.floor(rnd() * LAST.length)]}&limit=50` },
];

type Timing = { p50: number; p95: number; n: number; empty: number };

export type ContactsOutcome = SectionResult & { rssMb: number | null };

export async function runContacts(ctx: BenchContext, start: StartServer | null): Promise<ContactsOutcome> {
  const S = 'Contacts';
  // --quick seeds 20k and 100k: the same code path in seconds, not the goal's 1M.
  const sizes = ctx.quick ? [20_000, 100_000] : [100_000, 1_000_000];
  const label = (n: number) => (n >= 1_000_000 ? `${n / 1_000_000}M` : `${n / 1000}k`);
  const [smallL, bigL] = sizes.map(label);
  const reps = ctx.quick ? 8 : 30;
  if (!start) {
    return { figures: QUERIES.map((q) => ({ section: S, name: `${q.name}, p95 at ${bigL}`, value: null, unit: 'ms', goal: { op: '<=' as const, value: 50 }, note: 'server not available in this run' })), rssMb: null };
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'chative-bench-contacts-'));
  const timings = new Map<number, Timing[]>();
  const notes: string[] = [];
  let rss: number | null = null;
  try {
    // The server creates and migrates its database once; then it is stopped and seeded offline.
    const first = await startBenchServer(start, {}, dataDir);
    const dir = dataDir;
    await first.server.stop();
    const file = findDbFile(dir);
    if (!file) throw new Error(`no SQLite file under ${dir}`);
    let seeded = 0;
    for (const size of sizes) {
      const seconds = seedContacts(file, seeded, size);
      ctx.log(`contacts: seeded ${seeded.toLocaleString('en-US')} → ${size.toLocaleString('en-US')} in ${seconds.toFixed(1)} s`);
      notes.push(`Contacts: seeding ${(size - seeded).toLocaleString('en-US')} contacts (tags, 5 custom fields) took ${seconds.toFixed(1)} s.`);
      seeded = size;
      const { server, pid } = await startBenchServer(start, {}, dir);
      try {
        const rnd = createRandom(7);
        const rows: Timing[] = [];
        for (const q of QUERIES) {
          const times: number[] = [];
          let empty = 0; // an empty page is fast for the wrong reason: count it and say so
          for (let i = 0; i < reps + 2; i++) {
            const path = q.path(rnd);
            const t0 = performance.now();
            const page = await call<{ items: unknown[] }>(server.url, 'GET', path, server.agentToken);
            if (i >= 2) times.push(performance.now() - t0); // two warm-up queries fill the page cache
            if (i >= 2 && page.items.length === 0) empty++;
          }
          if (empty > times.length / 2) throw new Error(`contacts @${size}: ${q.name} answered ${empty} of ${times.length} queries with no contact: the seed does not match the query`);
          rows.push({ p50: median(times), p95: percentile(times, 0.95), n: times.length, empty });
          ctx.log(`contacts @${size}: ${q.name}: p50 ${median(times).toFixed(1)} ms, p95 ${percentile(times, 0.95).toFixed(1)} ms`);
        }
        timings.set(size, rows);
        if (pid) rss = rssMb(pid);
      } finally {
        await server.stop();
      }
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
  const small = timings.get(sizes[0])!;
  const big = timings.get(sizes[1])!;
  return {
    figures: QUERIES.map((q, i) => ({
      section: S,
      name: `${q.name}, p95 at ${bigL}`,
      value: big[i].p95,
      unit: 'ms',
      goal: { op: '<=' as const, value: 50 },
      compared: `p50 ${big[i].p50.toFixed(1)} ms at ${bigL}; at ${smallL} p50 ${small[i].p50.toFixed(1)} / p95 ${small[i].p95.toFixed(1)} ms (${big[i].n} queries each, ${big[i].empty} with an empty page)`,
    })),
    comparisons: [{
      title: `Contact queries, p95 at ${bigL} contacts (ms; goal 50 ms at 1M)`,
      unit: 'ms',
      bars: QUERIES.map((q, i) => ({ label: q.name, value: big[i].p95, ours: true })),
    }],
    notes,
    rssMb: rss,
  };
}
