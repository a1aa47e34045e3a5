// Issue 12 "How fast": POST /v1/contacts/search at 1M seeded contacts (the contacts section's seed) for every
// condition kind — p95 ≤ 100 ms for type, tags, last seen, one custom field and their AND — and two sorted searches
// (≤ 1 s: they walk the sort key's index, CONDITIONS.md). The bulk add-tag figures are in sections/bulk.ts (`--only=bulk`).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { generateContacts } from '../lib/seed-contacts';
import { seedServerDir } from '../lib/seeded';
import { call, startBenchServer, type StartServer } from '../lib/server';
import { median, percentile } from '../lib/stats';
import type { BenchContext, SectionResult } from '../lib/section';

type Where = { all: unknown[] } | { any: unknown[] };
const TYPE = { field: 'type', op: 'is', value: 'lead' };
const TAG = { field: 'tags', op: 'has_any', value: ['trial'] };
const SEEN = { field: 'lastSeenAt', op: 'in_last_days', value: 30 };
const CUSTOM = { field: 'custom.plan', op: 'is', value: 'enterprise' };
/** An email the seed holds (its first named contact: the seed's generator is deterministic but for ids), so `email is` finds one. */
const SOME_EMAIL = (() => {
  let email: string | null = null;
  generateContacts(0, 20, () => 0, (c) => void (email ??= c.email));
  if (!email) throw new Error('search bench: no named contact among the first 20 seeded');
  return email as string;
})();
/** The goal's five queries first (p95 ≤ 100 ms), then every other condition kind (reported, none over 1 s). */
export const SEARCHES: { name: string; where?: Where; sort?: { field: string; dir: 'asc' | 'desc' }; page?: number; goal: boolean }[] = [
  { name: 'type is lead', where: { all: [TYPE] }, goal: true },
  { name: 'tag has_any trial', where: { all: [TAG] }, goal: true },
  { name: 'last seen in 30 days', where: { all: [SEEN] }, goal: true },
  { name: 'custom plan is enterprise', where: { all: [CUSTOM] }, goal: true },
  { name: 'AND of the four', where: { all: [TYPE, TAG, SEEN, CUSTOM] }, goal: true },
  { name: 'no condition (everyone)', goal: false },
  { name: 'name contains "smi"', where: { all: [{ field: 'name', op: 'contains', value: 'smi' }] }, goal: false },
  { name: 'email starts_with "anna."', where: { all: [{ field: 'email', op: 'starts_with', value: 'anna.' }] }, goal: false },
  { name: 'email is (one)', where: { all: [{ field: 'email', op: 'is', value: SOME_EMAIL.toUpperCase() }] }, goal: false },
  { name: 'phone is_set', where: { all: [{ field: 'phone', op: 'is_set' }] }, goal: false },
  { name: 'customerId is_not_set', where: { all: [{ field: 'customerId', op: 'is_not_set' }] }, goal: false },
  { name: 'timezone is', where: { all: [{ field: 'timezone', op: 'is', value: 'europe/berlin' }] }, goal: false },
  { name: 'createdAt more_than_days_ago 180', where: { all: [{ field: 'createdAt', op: 'more_than_days_ago', value: 180 }] }, goal: false },
  { name: 'type in [lead, customer]', where: { all: [{ field: 'type', op: 'in', value: ['lead', 'customer'] }] }, goal: false },
  { name: 'tags has_all [vip, billing]', where: { all: [{ field: 'tags', op: 'has_all', value: ['vip', 'billing'] }] }, goal: false },
  { name: 'tags has_none [newsletter]', where: { all: [{ field: 'tags', op: 'has_none', value: ['newsletter'] }] }, goal: false },
  { name: 'custom seats between 10 and 20', where: { all: [{ field: 'custom.seats', op: 'between', value: [10, 20] }] }, goal: false },
  { name: 'custom renewal in_next_days 30', where: { all: [{ field: 'custom.renewal', op: 'in_next_days', value: 30 }] }, goal: false },
  { name: 'custom marketing is_true', where: { all: [{ field: 'custom.marketing', op: 'is_true' }] }, goal: false },
  { name: 'custom company contains "ac"', where: { all: [{ field: 'custom.company', op: 'contains', value: 'ac' }] }, goal: false },
  { name: 'custom company is_not_set', where: { all: [{ field: 'custom.company', op: 'is_not_set' }] }, goal: false },
  { name: 'any of (vip, enterprise plan)', where: { any: [{ field: 'tags', op: 'has_any', value: ['vip'] }, CUSTOM] }, goal: false },
  { name: 'leads sorted by custom seats', where: { all: [TYPE] }, sort: { field: 'custom.seats', dir: 'desc' }, goal: false },
  { name: 'everyone sorted by name', sort: { field: 'name', dir: 'asc' }, goal: false },
  // a later page continues from its cursor: the walk must seek there, not re-read the pages before it
  { name: 'leads sorted by custom seats, page 20', where: { all: [TYPE] }, sort: { field: 'custom.seats', dir: 'desc' }, page: 20, goal: false },
  { name: 'everyone sorted by name, page 20', sort: { field: 'name', dir: 'asc' }, page: 20, goal: false },
];

type Timing = { p50: number; p95: number; total: number };

export async function runSearch(ctx: BenchContext, start: StartServer | null): Promise<SectionResult> {
  const S = 'Search';
  const size = ctx.quick ? 100_000 : 1_000_000;
  const sizeL = size >= 1_000_000 ? `${size / 1_000_000}M` : `${size / 1000}k`;
  const reps = ctx.quick ? 6 : 20;
  if (!start) return { figures: [{ section: S, name: `search p95 at ${sizeL}`, value: null, unit: 'ms', note: 'server not available in this run' }] };
  const dataDir = mkdtempSync(join(tmpdir(), 'chative-bench-search-'));
  const notes: string[] = [];
  const figures: SectionResult['figures'] = [];
  try {
    const seconds = await seedServerDir(ctx, start, dataDir, size, 'search');
    const { server } = await startBenchServer(start, {}, dataDir);
    try {
      const timings: Timing[] = [];
      for (const q of SEARCHES) {
        const times: number[] = [];
        let total = 0;
        let cursor: string | undefined;
        for (let p = 1; p < (q.page ?? 1); p++) {
          const r = await call<{ nextCursor: string | null }>(server.url, 'POST', '/v1/contacts/search', server.agentToken, { where: q.where, sort: q.sort, limit: 50, cursor });
          if (!r.nextCursor) throw new Error(`search bench: ${q.name} has no page ${p + 1}`);
          cursor = r.nextCursor;
        }
        for (let i = 0; i < reps + 2; i++) {
          const t0 = performance.now();
          const r = await call<{ items: unknown[]; total: number }>(server.url, 'POST', '/v1/contacts/search', server.agentToken, { where: q.where, sort: q.sort, limit: 50, cursor });
          if (i >= 2) times.push(performance.now() - t0); // two warm-ups fill the page cache
          total = r.total;
        }
        timings.push({ p50: median(times), p95: percentile(times, 0.95), total });
        ctx.log(`search @${sizeL}: ${q.name}: p50 ${median(times).toFixed(1)} ms, p95 ${percentile(times, 0.95).toFixed(1)} ms (${total.toLocaleString('en-US')} match)`);
      }
      SEARCHES.forEach((q, i) => figures.push({
        section: S, name: `${q.name}, p95 at ${sizeL}`, value: timings[i].p95, unit: 'ms',
        goal: { op: '<=' as const, value: q.goal ? 100 : 1000 },
        compared: `p50 ${timings[i].p50.toFixed(1)} ms; ${timings[i].total.toLocaleString('en-US')} contacts match; ${reps} searches with their total`,
      }));

      notes.push(`Search: seeded ${size.toLocaleString('en-US')} contacts in ${seconds.toFixed(1)} s (the contacts section's seed: 10 tags, 5 custom fields).`);
    } finally {
      await server.stop();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
  return { figures, notes, comparisons: [{ title: `Search p95 at ${sizeL} contacts (ms; goal 100 ms for the first five)`, unit: 'ms', bars: SEARCHES.map((q, i) => ({ label: q.name, value: figures[i].value ?? 0, ours: true })) }] };
}
