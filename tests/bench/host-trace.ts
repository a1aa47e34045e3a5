// Where a page view's main-thread time goes (issue 10): N loads per page at 4× CPU, alternating, with the
// bench's own page run (tests/bench/lib/page-run.ts); per trace event name the self thread time on the page
// renderer's main thread, each page minus the bare page, as a table. Less noisy than TaskDuration: use it per step.
//   npx tsx tests/bench/host-trace.ts [--n=10] [--base=/work/wt/base7] [--floor]
// --base: also this other checkout's server and widget.js (its own build), in the same alternation.
// --floor: also the floor pages (lib/host-pages.ts FLOOR_JS): inline after load, and as a file the snippet inserts.
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { startHostServer } from './lib/host-pages';
import { CHROMIUM_ARGS, oneRun, type PageKind, type Run, type TraceEvent } from './lib/page-run';
import { loadStartServer, startBenchServer, type ServerHandle } from './lib/server';
import { median } from './lib/stats';

const root = resolve(import.meta.dirname, '../..');
const arg = (k: string) => process.argv.find((a) => a.startsWith(`--${k}=`))?.slice(k.length + 3);
const n = Number(arg('n') ?? 10);
const baseRoot = arg('base');
const floor = process.argv.includes('--floor');

/** Script events carry the script's URL: the widget's, the page's inline snippet or the bench's own (no URL). */
const label = (e: TraceEvent) => {
  const url = e.args?.data?.url;
  if (!/^(FunctionCall|EvaluateScript|v8\.compile|TimerFire|FireIdleCallback|FireAnimationFrame)$/.test(e.name)) return e.name;
  return `${e.name} (${url ? new URL(url).pathname.replace(/^.*\//, '') : '-'})`;
};

/** Self thread time (ms) per event label: each complete event's thread time minus its children's. */
function selfTimes(events: TraceEvent[]): Map<string, number> {
  const out = new Map<string, number>();
  const evs = events.filter((e) => e.tdur !== undefined && e.ts !== undefined).sort((a, b) => a.ts! - b.ts! || (b.dur ?? 0) - (a.dur ?? 0));
  const stack: { e: TraceEvent; end: number; child: number }[] = [];
  const pop = () => { const f = stack.pop()!; const k = label(f.e); out.set(k, (out.get(k) ?? 0) + (f.e.tdur! - f.child) / 1000); };
  for (const e of evs) {
    while (stack.length && stack[stack.length - 1].end <= e.ts!) pop();
    if (stack.length) stack[stack.length - 1].child += e.tdur!;
    stack.push({ e, end: e.ts! + (e.dur ?? 0), child: 0 });
  }
  while (stack.length) pop();
  out.set('(tasks: count)', evs.filter((e) => e.name === 'RunTask').length);
  return out;
}

const servers: ServerHandle[] = [];
async function chatServer(dir: string): Promise<ServerHandle> {
  const start = await loadStartServer(dir);
  if (!start) throw new Error(`no server in ${dir}`);
  const { server } = await startBenchServer(start);
  servers.push(server);
  return server;
}

const mine = await chatServer(root);
const embed = readFileSync(join(root, 'widget/snippet/embed.min.js'), 'utf8');
const host = await startHostServer({ widgetSrc: `${mine.url}/widget.js`, stub: '', embed, floor });
const pages: { label: string; url: string; kind: PageKind; runs: Run[] }[] = [
  { label: 'bare', url: `${host.origin}/plain.html`, kind: { kind: 'plain' }, runs: [] },
  { label: 'Chative', url: `${host.origin}/with.html`, kind: { kind: 'chative' }, runs: [] },
];
let closeBase = async () => {};
if (baseRoot) {
  const base = await chatServer(baseRoot);
  const baseEmbed = readFileSync(join(baseRoot, 'widget/snippet/embed.min.js'), 'utf8');
  const bh = await startHostServer({ widgetSrc: `${base.url}/widget.js`, stub: '', embed: baseEmbed });
  closeBase = bh.close;
  pages.push({ label: 'base', url: `${bh.origin}/with.html`, kind: { kind: 'chative' }, runs: [] });
}
if (floor) {
  pages.push({ label: 'floor', url: `${host.origin}/floor.html`, kind: { kind: 'floor' }, runs: [] });
  pages.push({ label: 'floor.js', url: `${host.origin}/floor-js.html`, kind: { kind: 'floor' }, runs: [] });
}
const load0 = loadavg()[0];
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
try {
  for (const p of pages) await oneRun(browser, p.url, p.kind, 0); // warm-up, discarded
  for (let i = 0; i < n; i++) {
    for (const p of pages) p.runs.push(await oneRun(browser, p.url, p.kind, 2500, true)); // the same 2.5 s from navigation on every page
    process.stderr.write(`round ${i + 1}/${n}: cpu ${pages.map((p) => p.runs[i].cpuMs.toFixed(0)).join(' / ')} ms\n`);
  }
} finally {
  await browser.close();
  await host.close();
  await closeBase();
  for (const s of servers) await s.stop();
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const selfs = pages.map((p) => p.runs.map((r) => selfTimes(r.events ?? [])));
const names = [...new Set(selfs.flatMap((rs) => rs.flatMap((m) => [...m.keys()])))];
const meanOf = (i: number, name: string) => mean(selfs[i].map((m) => m.get(name) ?? 0));
const others = pages.slice(1);
const rows = names.map((name) => ({ name, d: others.map((_, j) => meanOf(j + 1, name) - meanOf(0, name)) }))
  .filter((r) => r.d.some((v) => Math.abs(v) >= 0.3))
  .sort((a, b) => Math.max(...b.d.map(Math.abs)) - Math.max(...a.d.map(Math.abs)));
const f = (v: number) => (v >= 0 ? '+' : '') + v.toFixed(1);
const med = (i: number, k: 'cpuMs' | 'taskMs') => median(pages[i].runs.map((r) => r[k]));
console.log(`\n${n} loads per page, 4× CPU, load average ${load0.toFixed(1)} → ${loadavg()[0].toFixed(1)}; bare page: thread time ${med(0, 'cpuMs').toFixed(1)} ms, TaskDuration ${med(0, 'taskMs').toFixed(1)} ms`);
console.log(`| self thread time, mean of page − bare (ms) | ${others.map((p) => p.label).join(' | ')} |`);
console.log(`|---|${others.map(() => '---:').join('|')}|`);
console.log(`| **RunTask thread time added (median)** | ${others.map((_, j) => f(med(j + 1, 'cpuMs') - med(0, 'cpuMs'))).join(' | ')} |`);
console.log(`| **TaskDuration added (median)** | ${others.map((_, j) => f(med(j + 1, 'taskMs') - med(0, 'taskMs'))).join(' | ')} |`);
console.log(`| sum of the self times below | ${others.map((_, j) => f(rows.filter((r) => !r.name.startsWith('(')).reduce((a, r) => a + r.d[j], 0))).join(' | ')} |`);
for (const r of rows) console.log(`| ${r.name} | ${r.d.map(f).join(' | ')} |`);
