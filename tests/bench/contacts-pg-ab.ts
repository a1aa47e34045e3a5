// Two checkouts' contact list on ONE seeded PostgreSQL database, request by request in alternation (A B A B …), so
// a load burst on the shared machine hits both alike (separate bench runs 10 minutes apart differed 4× on queries
// neither changed). Usage: npx tsx tests/bench/contacts-pg-ab.ts <postgres url of a seeded database | seed> <checkout A>
// <checkout B> [rounds=60]. `seed`: a throwaway durable cluster seeded with 1M contacts (~6 min), migrated by B, the newer
// checkout (an older one ignores later migrations), tuned as contacts-pg is unless --pg-untuned.
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { call, loadStartServer, BENCH_ENV } from './lib/server';
import { median, percentile } from './lib/stats';
import { createRandom } from './lib/seed-contacts';
import { seedContactsPg } from './lib/seed-contacts-pg';
import { startBenchPg, TUNED_PG, type BenchPg } from './lib/pg';
import { QUERIES } from './sections/contacts';

const [urlArg, rootA, rootB, roundsArg] = process.argv.slice(2).filter((a) => !a.startsWith('--'));
if (!urlArg || !rootA || !rootB) throw new Error('usage: contacts-pg-ab.ts <database url | seed> <checkout A> <checkout B> [rounds]');
const rounds = Number(roundsArg ?? 60);
let pg: BenchPg | null = null;
const secrets = { CHATIVE_AGENT_TOKEN: randomBytes(32).toString('base64url'), CHATIVE_SITE_SECRET: randomBytes(32).toString('hex') };
if (urlArg === 'seed') {
  pg = await startBenchPg(process.argv.includes('--pg-untuned') ? undefined : TUNED_PG);
  if (!pg) throw new Error('PostgreSQL is not installed');
  const startB = await loadStartServer(rootB);
  if (!startB) throw new Error(`no server in ${rootB}`);
  await (await startB({ env: { ...BENCH_ENV, ...secrets, DATABASE_URL: pg.url } })).stop();
  console.log(`seeded 1M contacts in ${(await seedContactsPg(pg.sql, 0, 1_000_000)).toFixed(0)} s`);
}
const url = pg ? pg.url : urlArg;
const env = { ...BENCH_ENV, ...secrets, DATABASE_URL: url };
const servers = [];
for (const root of [rootA, rootB]) {
  const start = await loadStartServer(root);
  if (!start) throw new Error(`no server in ${root}`);
  servers.push(await start({ env }));
}
try {
  for (const q of QUERIES) {
    const times: number[][] = [[], []];
    const rnd = createRandom(7);
    for (let i = 0; i < rounds + 2; i++) {
      const path = q.path(rnd);
      // alternate which goes first, so neither always finds the other's pages freshly cached
      const order = i % 2 ? [1, 0] : [0, 1];
      for (const k of order) {
        const t0 = performance.now();
        const page = await call<{ items: unknown[] }>(servers[k].url, 'GET', path, servers[k].agentToken);
        if (i >= 2) times[k].push(performance.now() - t0);
        if (page.items.length === 0) throw new Error(`${q.name}: empty page from ${[rootA, rootB][k]}`);
      }
    }
    const f = (t: number[]) => `${median(t).toFixed(1)} / ${percentile(t, 0.95).toFixed(1)}`;
    console.log(`${q.name.padEnd(32)} A p50/p95 ${f(times[0]).padEnd(14)} B p50/p95 ${f(times[1]).padEnd(14)} B/A p50 ${(median(times[1]) / median(times[0])).toFixed(2)}`);
  }
} finally {
  for (const s of servers) await s.stop();
  await pg?.stop();
}
