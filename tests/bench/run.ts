// `npm run bench`: every figure of issue 6 measured next to its baseline in one run, written to
// tests/bench/report.md (+ report.svg, report.json). Flags: --quick (smoke run), --only=bytes,host,sync,fanout,contacts,login,search,bulk,data,rules
// (sync, fanout and contacts include their PostgreSQL runs; sync-pg / fanout-pg / contacts-pg name those alone), --engine=sqlite|pg|both
// (default both: the PostgreSQL runs need Debian's postgresql and start their own durable throwaway cluster),
// --cpu-prof (profile the server during the sync load), --pg-untuned (contacts-pg on stock PostgreSQL settings instead of DEPLOY.md's tuning).
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { renderMarkdown, renderSvg, type BenchReport, type Figure } from './lib/report';
import type { BenchContext, SectionResult } from './lib/section';
import { loadStartServer, startBenchServer } from './lib/server';
import { runBytes } from './sections/bytes';
import { runContacts } from './sections/contacts';
import { runData } from './sections/data';
import { runFanout } from './sections/fanout';
import { runHostPage } from './sections/host-page';
import { runLogin } from './sections/login';
import { runSync } from './sections/sync';
import { runSyncPg } from './sections/sync-pg';
import { runFanoutPg } from './sections/fanout-pg';
import { runContactsPg } from './sections/contacts-pg';
import { runSearch } from './sections/search';
import { runRules } from './sections/rules';
import { runBulk } from './sections/bulk';

const root = resolve(import.meta.dirname, '../..');
const quick = process.argv.includes('--quick');
const onlyArg = process.argv.find((a) => a.startsWith('--only='))?.slice(7).split(',');
const engineArg = process.argv.find((a) => a.startsWith('--engine='))?.slice(9) ?? 'both';
const onPg = (name: string) => name.endsWith('-pg');
const wants = (name: string) =>
  (onPg(name) ? engineArg !== 'sqlite' : !['sync', 'contacts', 'fanout'].includes(name) || engineArg !== 'pg') &&
  (!onlyArg || onlyArg.includes(name) || (onPg(name) && onlyArg.includes(name.slice(0, -3))));
const t0 = performance.now();
const ctx: BenchContext = {
  quick,
  root,
  log: (msg) => console.log(`[bench ${((performance.now() - t0) / 1000).toFixed(0).padStart(4)} s] ${msg}`),
};

function chromiumVersion(): string {
  try { return execFileSync('/usr/bin/chromium', ['--version'], { encoding: 'utf8' }).trim(); } catch { return 'chromium ?'; }
}

const report: BenchReport = {
  generatedAt: new Date().toISOString(),
  durationS: 0,
  quick,
  machine: `${cpus().length} × ${cpus()[0]?.model.trim() ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GB, Node ${process.version}, ${chromiumVersion()} (shared machine)`,
  figures: [],
  comparisons: [],
  notes: [],
};
const memory: Figure[] = [];
const loads: string[] = [];

/** Runs one section; a failure becomes a note and the run goes on. */
async function section<T extends SectionResult>(name: string, fn: () => Promise<T>): Promise<T | null> {
  if (!wants(name)) return null;
  const load = loadavg()[0];
  loads.push(`${name} ${load.toFixed(1)}`);
  ctx.log(`— ${name} (load average ${load.toFixed(1)})`);
  try {
    const r = await fn();
    report.figures.push(...r.figures);
    report.comparisons.push(...(r.comparisons ?? []));
    report.notes.push(...(r.notes ?? []));
    return r;
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    ctx.log(`${name} failed: ${msg}`);
    report.notes.push(`Section "${name}" failed in this run: ${msg.slice(0, 300)}`);
    return null;
  }
}

const start = await loadStartServer(root);
// --cpu-prof: the sync section's server runs under V8's profiler and the report names its hot spots.
const profileDir = process.argv.includes('--cpu-prof') ? join(root, 'tests/.tmp/bench/profiles') : undefined;
if (profileDir) mkdirSync(profileDir, { recursive: true });
const profiledStart = profileDir ? await loadStartServer(root, ['--cpu-prof', `--cpu-prof-dir=${profileDir}`]) : start;
if (!start) report.notes.push('tests/server/helpers/spawn-server.ts not found: server figures not measured.');

await section('bytes', () => runBytes(ctx));
await section('host', async () => {
  if (!start) return runHostPage(ctx, null);
  const { server } = await startBenchServer(start);
  try { return await runHostPage(ctx, `${server.url}/widget.js`); } finally { await server.stop(); }
});
const sync = await section('sync', () => runSync(ctx, profiledStart, profileDir));
await section('sync-pg', () => runSyncPg(ctx, start, sync?.single ?? null));
const fanout = await section('fanout', () => runFanout(ctx, start));
await section('fanout-pg', () => runFanoutPg(ctx, start));
const contacts = await section('contacts', () => runContacts(ctx, start));
await section('contacts-pg', () => runContactsPg(ctx, start));
await section('login', () => runLogin(ctx, start));
await section('search', () => runSearch(ctx, start));
await section('bulk', () => runBulk(ctx, start));
await section('data', () => runData(ctx, start));
await section('rules', () => runRules(ctx, start));

const M = 'Memory';
if (sync) {
  memory.push({ section: M, name: 'server RSS idle', value: sync.rssIdleMb, unit: 'MB' });
  memory.push({ section: M, name: 'server RSS peak under sync load', value: sync.rssPeakMb, unit: 'MB' });
}
if (fanout) memory.push({ section: M, name: `server RSS with ${fanout.connections} live streams`, value: fanout.rssMb, unit: 'MB' });
if (contacts) memory.push({ section: M, name: `server RSS after queries at ${quick ? '100k' : '1M'} contacts`, value: contacts.rssMb, unit: 'MB' });
report.figures.push(...memory);

report.durationS = (performance.now() - t0) / 1000;
report.notes.push(`Whole bench took ${report.durationS.toFixed(0)} s${quick ? ' (--quick)' : ''}. Load average at the start of each section (${cpus().length} cores; other work shares this machine): ${loads.join(', ')}.`);
// Only a full run replaces the committed report; smoke and partial runs go to the ignored tests/.tmp.
const outDir = quick || onlyArg ? join(root, 'tests/.tmp/bench') : join(root, 'tests/bench');
mkdirSync(outDir, { recursive: true });
const md = renderMarkdown(report);
writeFileSync(join(outDir, 'report.md'), md);
writeFileSync(join(outDir, 'report.svg'), renderSvg(report));
writeFileSync(join(outDir, 'report.json'), JSON.stringify(report, null, 2) + '\n');
console.log('\n' + md);
console.log(`Wrote ${relative(root, outDir)}/report.md, report.svg and report.json in ${report.durationS.toFixed(0)} s.`);
