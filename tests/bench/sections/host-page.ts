// Host-page cost in headless Chromium at 4× CPU throttling: the same plain page bare, with Chative
// and with a peer widget (react-chat-widget + React, installed by the bench), runs alternating, medians
// of the per-run figures, differences against the bare page; then Lighthouse's bootup-time for both.
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { cpus, loadavg } from 'node:os';
import { chromium } from 'playwright-core';
import { startHostServer } from '../lib/host-pages';
import { bootupTimes, LIGHTHOUSE_SPEC, type BootupResult, type BootupTarget } from '../lib/lighthouse';
import { CHROMIUM_ARGS, oneRun, type PageKind, type Run } from '../lib/page-run';
import { buildPeerBundle, PEER_LABEL, PEER_LAUNCHER_SELECTOR } from '../lib/peer-widget';
import { median, pairedDifference, percentile } from '../lib/stats';
import type { BenchContext, SectionResult } from '../lib/section';
import type { Comparison, Figure } from '../lib/report';

const S = 'Host page';
const kb = (b: number) => b / 1024;

/** "+X (p25–p75 a…b)" for one figure of alternating runs, in the figure's unit. */
function band(base: Run[], runs: Run[], k: keyof Run, scale = (v: number) => v): string {
  const d = pairedDifference(base.map((r) => scale(r[k] as number)), runs.map((r) => scale(r[k] as number)));
  return `pairwise differences p25–p75 ${d.p25.toFixed(0)}…${d.p75.toFixed(0)}`;
}

/**
 * Measures the widget on a plain page. `widgetSrc` is where the page loads widget.js from: the real
 * server's /widget.js when it runs (full boot: config, session, stream), else the built file alone.
 */
export async function runHostPage(ctx: BenchContext, widgetSrc: string | null): Promise<SectionResult> {
  const widgetFile = join(ctx.root, 'dist/widget/widget.js');
  const stubFile = join(ctx.root, 'widget/snippet/stub.min.js');
  const embedFile = join(ctx.root, 'widget/snippet/embed.min.js');
  const notes: string[] = [];
  if (!existsSync(widgetFile) && !widgetSrc) {
    return { figures: [{ section: S, name: 'main-thread time added', value: null, unit: 'ms', goal: { op: '<=', value: 30 }, note: 'dist/widget/widget.js not built' }] };
  }
  const stub = existsSync(stubFile) ? readFileSync(stubFile, 'utf8') : '';
  const embed = readFileSync(embedFile, 'utf8');
  const peer = await buildPeerBundle(ctx.root, ctx.log);
  if (!peer.ok) {
    ctx.log(`peer widget skipped: ${peer.reason}`);
    notes.push(`Peer widget (${PEER_LABEL}) not measured in this run: ${peer.reason}`);
  }
  const load0 = loadavg()[0];
  // The floor (lib/host-pages.ts): the least a widget could do after load, as a 400-byte script the documented snippet
  // inserts — what these methods show for next to nothing on this machine, in the same alternation (issue 10).
  // --floor: also the same work inline (no script fetch).
  const inlineFloor = process.argv.includes('--floor');
  const host = await startHostServer({ widgetSrc: widgetSrc ?? '/widget.js', stub, embed, widgetFile: widgetSrc ? undefined : widgetFile, peerJs: peer.ok ? peer.js : undefined, floor: true });
  const runs = ctx.quick ? 3 : 20; // ≥ 20 alternating pairs (issue 10), so the difference is larger than its noise
  // Every page's figures span the same time from navigation: the widget's page had 1–1.5 s after its launcher, the bare
  // page 1–1.5 s after load, and the bare page's idle tasks in the widget page's longer span were counted as the widget's.
  const windowMs = ctx.quick ? 2500 : 3000;
  const lhRuns = ctx.quick ? 5 : 20;
  const pages: { url: string; kind: PageKind; runs: Run[] }[] = [
    { url: `${host.origin}/plain.html`, kind: { kind: 'plain' }, runs: [] },
    { url: `${host.origin}/with.html`, kind: { kind: 'chative' }, runs: [] },
    // The plain async tag, the documented alternative, measured in the same alternation (its own rows below).
    { url: `${host.origin}/with-tag.html`, kind: { kind: 'chative' }, runs: [] },
    ...(peer.ok ? [{ url: `${host.origin}/peer.html`, kind: { kind: 'peer', launcherSelector: PEER_LAUNCHER_SELECTOR } as PageKind, runs: [] }] : []),
  ];
  const floors = [{ url: `${host.origin}/floor-js.html`, kind: { kind: 'floor' } as PageKind, runs: [] as Run[] },
    ...(inlineFloor ? [{ url: `${host.origin}/floor.html`, kind: { kind: 'floor' } as PageKind, runs: [] as Run[] }] : [])];
  const [plain, withW, withTag, peerRuns] = pages.map((p) => p.runs);
  pages.push(...floors);
  let lh: Awaited<ReturnType<typeof bootupTimes>> = { ok: false, reason: 'not run' };
  try {
    const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
    try {
      // One discarded round warms the browser and the servers; then pages alternate so drift hits all.
      for (const p of pages) await oneRun(browser, p.url, p.kind, 0);
      for (let i = 0; i < runs; i++) {
        for (const p of pages) p.runs.push(await oneRun(browser, p.url, p.kind, windowMs));
        ctx.log(`host page run ${i + 1}/${runs}: task ${pages.map((p) => p.runs[i].taskMs.toFixed(0)).join(' / ')} ms, cpu ${pages.map((p) => p.runs[i].cpuMs.toFixed(0)).join(' / ')} ms (bare / Chative / Chative tag${peer.ok ? ' / peer' : ''} / floor${inlineFloor ? ' / inline floor' : ''}), launcher ${withW[i].launcherMs?.toFixed(0) ?? '-'} ms (${withW[i].launcherHow})`);
      }
    } finally {
      await browser.close();
    }
    // Lighthouse after the browser runs, never beside them: both want the same two cores.
    const widgetUrl = new URL(widgetSrc ?? '/widget.js', host.origin);
    // The bare page and Chative's alternate lhRuns times (≥ 20 pairs for the page's main-thread work added, issue 10;
    // bootup-time's median of 5 becomes a median of all of them), the peer 5 times (its runs are the slow ones).
    const targets: BootupTarget[] = [
      { label: 'bare page', pageUrl: `${host.origin}/plain.html`, owns: () => false },
      { label: 'Chative', pageUrl: `${host.origin}/with.html`, owns: (u: string) => ownsPath(u, widgetUrl.origin, (p) => p === '/widget.js' || p.startsWith('/widget/')) },
    ];
    if (peer.ok) targets.push({ label: PEER_LABEL, pageUrl: `${host.origin}/peer.html`, owns: (u: string) => ownsPath(u, host.origin, (p) => p === '/peer.js'), runs: 5 });
    // The floor script in the same alternation: what Lighthouse shows for a 400-byte script inserted after load.
    targets.push({ label: 'floor', pageUrl: `${host.origin}/floor-js.html`, owns: () => false });
    try {
      lh = await bootupTimes(ctx.root, targets, lhRuns, ctx.log);
    } catch (err) {
      lh = { ok: false, reason: err instanceof Error ? err.message : String(err) };
    }
    if (!lh.ok) { ctx.log(`lighthouse skipped: ${lh.reason}`); notes.push(`Lighthouse bootup-time not measured in this run: ${lh.reason.slice(0, 300)}`); }
  } finally {
    await host.close();
  }
  const figures = chativeFigures(plain, withW, runs);
  figures.push(...tagFigures(plain, withTag));
  const lhBare = lh.ok ? lh.results[0] : null;
  const lhChative = lh.ok ? lh.results[1] : null;
  const lhPeer = lh.ok && peer.ok ? lh.results[2] : null;
  const lhFloor = lh.ok ? lh.results[lh.results.length - 1] : null;
  figures.splice(1, 0, {
    section: S, name: 'widget\'s own script time (Lighthouse bootup-time)',
    value: lhChative ? lhChative.medianMs : null, unit: 'ms', goal: { op: '<=', value: 20 },
    ...(lhChative ? { compared: `Lighthouse ${lh.ok ? lh.version : '?'}, mobile defaults (simulated 4× CPU), median of ${lhChative.runsMs.length}; ${bootupCompared(lhChative)}${lhPeer ? `; ${PEER_LABEL} ${lhPeer.medianMs.toFixed(0)} ms` : ''}` } : { note: 'Lighthouse did not run (see notes)' }),
  }, lhMainFigure('main-thread time added (Lighthouse mainthread-work-breakdown, mobile 4×)', lhBare, lhChative, true));
  if (lhPeer) figures.push(lhMainFigure(`${PEER_LABEL}: main-thread time added (Lighthouse mainthread-work-breakdown, mobile 4×)`, lhBare, lhPeer, false));
  if (peerRuns && peer.ok) figures.push(...peerFigures(plain, peerRuns, withW, peer.gzipBytes, lhPeer));
  figures.push(...floorFigures(plain, floors[0].runs, 'a script the snippet inserts'), lhMainFigure('main-thread time added (Lighthouse mainthread-work-breakdown, mobile 4×)', lhBare, lhFloor, false, 'Floor (a script the snippet inserts)'));
  if (inlineFloor) figures.push(...floorFigures(plain, floors[1].runs, 'inline after load'));
  if (lhBare && lhChative && lhFloor) notes.push(`Where the main-thread time added goes, by Lighthouse's categories (medians of each page's runs minus the bare page's): ${groupsAdded(lhBare, lhChative, 'Chative')}; ${groupsAdded(lhBare, lhFloor, 'the floor script')}.`);
  notes.push(`Host page: load average ${load0.toFixed(1)} at the start and ${loadavg()[0].toFixed(1)} at the end of the section on ${cpus().length} cores (other work on the machine inflates wall-clock figures; the thread-time row is less affected).`);
  if (!widgetSrc) notes.push('Host page measured with widget.js alone (no chat server in this run): UI cost without the session boot.');
  notes.push(`Host-page figures: the bare page, Chative's page (the documented snippet: widget.js inserted after load), Chative with the plain async tag and ${peer.ok ? `the ${PEER_LABEL} page (bundled by the bench with esbuild into one IIFE, loaded \`async\` from the same loopback server)` : 'no peer page'} ` +
    `alternate run by run, 4× CPU throttling (DevTools Emulation.setCPUThrottlingRate); main-thread time is the renderer TaskDuration over the first ${windowMs} ms from navigation, the same span on every page (the launcher came within it in ${pages.flatMap((p) => p.runs).filter((r) => !r.overran).length} of ${pages.flatMap((p) => p.runs).length} runs); ` +
    `"added" is median with minus median of the bare page, with the p25–p75 band of the run-by-run differences. Lighthouse (${LIGHTHOUSE_SPEC}, installed by the bench into tests/.tmp/lighthouse) runs after, in its own Chromium, with simulated mobile throttling: the bare page, Chative's and the floor script's alternate ${lhRuns} times (bootup-time of widget.js and the window's files; mainthread-work-breakdown of the whole page, each page's minus the bare page's), the peer's 5 times. The floor (lib/host-pages.ts FLOOR_JS: one shadow root, one 56 px button, one adopted sheet, a 400-byte file the documented snippet inserts after load) is what both methods show for next to nothing on this machine.`);
  return { figures, notes, comparisons: comparisons(plain, withW, withTag, peerRuns, floors[0].runs, lhChative, lhPeer) };
}

function ownsPath(url: string, origin: string, path: (p: string) => boolean): boolean {
  try { const u = new URL(url); return u.origin === origin && path(u.pathname); } catch { return false; }
}

/** The page's main-thread work with the widget minus the bare page's, over Lighthouse's alternating runs: median minus median
 *  and the p25–p75 band of the run-by-run differences (pairs of the same round). */
function lhMainFigure(name: string, bare: BootupResult | null, page: BootupResult | null, ours: boolean, section = ours ? S : `Peer: ${PEER_LABEL}`): Figure {
  if (!bare || !page) return { section, name, value: null, unit: 'ms', ...(ours ? { goal: { op: '<=', value: 30 } } : {}), note: 'Lighthouse did not run (see notes)' };
  const d = pairedDifference(bare.mainMs, page.mainMs);
  return {
    section, name, value: Math.max(0, d.added), unit: 'ms', ...(ours ? { goal: { op: '<=' as const, value: 30 } } : {}),
    compared: `bare page ${d.baseline.toFixed(0)} ms, with it ${d.measured.toFixed(0)} ms (medians of ${bare.mainMs.length} / ${page.mainMs.length} runs, alternating); pairwise differences p25–p75 ${d.p25.toFixed(0)}…${d.p75.toFixed(0)} ms`,
  };
}

/** "scriptEvaluation +13, other +17, …" for one page against the bare page, largest first. */
function groupsAdded(bare: BootupResult, page: BootupResult, label: string): string {
  const keys = [...new Set([...bare.groups, ...page.groups].flatMap((g) => Object.keys(g)))];
  const m = (r: BootupResult, k: string) => median(r.groups.map((g) => g[k] ?? 0));
  const rows = keys.map((k) => [k, m(page, k) - m(bare, k)] as const).filter(([, v]) => Math.abs(v) >= 0.5).sort((a, b) => b[1] - a[1]);
  return `${label} ${rows.map(([k, v]) => `${k} ${v >= 0 ? '+' : ''}${v.toFixed(1)}`).join(', ')} ms`;
}

function bootupCompared(r: BootupResult): string {
  return `runs ${r.runsMs.map((v) => v.toFixed(0)).join(', ')} ms; scripting + parse/compile of ${r.urls.map((u) => new URL(u).pathname).join(', ') || 'no URL (none ran)'}`;
}

function chativeFigures(plain: Run[], withW: Run[], runs: number): Figure[] {
  const med = (rs: Run[], k: keyof Run) => median(rs.map((r) => r[k] as number));
  const added = (k: keyof Run) => med(withW, k) - med(plain, k);
  const launchers = withW.map((r) => r.launcherMs).filter((v): v is number => v !== null);
  const shells = withW.map((r) => r.shellMs).filter((v): v is number => v !== null);
  const how = [...new Set(withW.map((r) => r.launcherHow))].join('/');
  return [
    { section: S, name: 'main-thread time added (4× throttle)', value: Math.max(0, added('taskMs')), unit: 'ms', goal: { op: '<=', value: 30 },
      compared: `bare page ${med(plain, 'taskMs').toFixed(0)} ms, with Chative ${med(withW, 'taskMs').toFixed(0)} ms (medians of ${runs}); ${band(plain, withW, 'taskMs')} ms` },
    { section: S, name: 'main-thread CPU time added (4× throttle, thread time)', value: Math.max(0, added('cpuMs')), unit: 'ms',
      compared: `bare ${med(plain, 'cpuMs').toFixed(0)} ms, with Chative ${med(withW, 'cpuMs').toFixed(0)} ms; excludes time the renderer waited for a busy CPU` },
    { section: S, name: 'long tasks > 50 ms added', value: Math.max(0, added('longTasks')), unit: '', goal: { op: '<=', value: 0 },
      compared: `longest with Chative ${Math.max(...withW.map((r) => r.longestMs)).toFixed(0)} ms, bare ${Math.max(...plain.map((r) => r.longestMs)).toFixed(0)} ms (max over runs)` },
    { section: S, name: 'layout shift added (CLS)', value: Math.max(0, added('cls')), unit: '', goal: { op: '<=', value: 0 } },
    { section: S, name: 'widget.js arrived → launcher painted', value: launchers.length ? median(launchers) : null, unit: 'ms', goal: { op: '<=', value: 100 },
      note: launchers.length ? `${launchers.length}/${runs} runs, via ${how === 'dom' ? 'the bench\'s observer: the response\'s end to the frame after the button is in the shadow root' : how}` : 'no chative:launcher entry and no "Open chat" button seen' },
    { section: S, name: 'load event delayed by', value: Math.max(0, added('loadMs')), unit: 'ms', goal: { op: '<=', value: 10 },
      compared: `load at ${med(plain, 'loadMs').toFixed(0)} ms bare, ${med(withW, 'loadMs').toFixed(0)} ms with Chative; ${band(plain, withW, 'loadMs')} ms` },
    { section: S, name: 'bytes a page view adds (on the wire; the chat server gzips, the peer test server does not)', value: kb(added('bytes')), unit: 'KB',
      compared: `${med(withW, 'requests') - med(plain, 'requests')} requests added; ${band(plain, withW, 'bytes', kb)} KB` },
    { section: S, name: 'click → window shell (cold cache for the window module)', value: shells.length ? median(shells) : null, unit: 'ms', goal: { op: '<=', value: 100 },
      note: shells.length ? `${shells.length}/${runs} runs, p75 ${percentile(shells, 0.75).toFixed(0)} ms` : 'no window appeared after a click on the launcher' },
  ];
}

/** The plain `<script async>` tag (the alternative to the documented snippet): what holding `load` for widget.js costs. */
function tagFigures(plain: Run[], withTag: Run[]): Figure[] {
  const T = 'Host page, plain async tag';
  const med = (rs: Run[], k: keyof Run) => median(rs.map((r) => r[k] as number));
  const added = (k: keyof Run) => med(withTag, k) - med(plain, k);
  return [
    { section: T, name: 'main-thread time added (4× throttle)', value: Math.max(0, added('taskMs')), unit: 'ms', compared: `with the tag ${med(withTag, 'taskMs').toFixed(0)} ms; ${band(plain, withTag, 'taskMs')} ms` },
    { section: T, name: 'main-thread CPU time added (thread time)', value: Math.max(0, added('cpuMs')), unit: 'ms' },
    { section: T, name: 'long tasks > 50 ms added', value: Math.max(0, added('longTasks')), unit: '', compared: `longest ${Math.max(...withTag.map((r) => r.longestMs)).toFixed(0)} ms (max over runs)` },
    { section: T, name: 'load event delayed by', value: Math.max(0, added('loadMs')), unit: 'ms',
      compared: `load at ${med(withTag, 'loadMs').toFixed(0)} ms with the tag; ${band(plain, withTag, 'loadMs')} ms; the documented snippet inserts widget.js after load instead` },
  ];
}

/** The floor: one shadow root, one 56 px button, one adopted sheet after load; no goals (it is the method's floor). */
function floorFigures(plain: Run[], runs: Run[], how: string): Figure[] {
  const F = `Floor (${how})`;
  const med = (rs: Run[], k: keyof Run) => median(rs.map((r) => r[k] as number));
  return [
    { section: F, name: 'main-thread time added (4× throttle)', value: med(runs, 'taskMs') - med(plain, 'taskMs'), unit: 'ms', compared: `${band(plain, runs, 'taskMs')} ms` },
    { section: F, name: 'main-thread CPU time added (thread time)', value: med(runs, 'cpuMs') - med(plain, 'cpuMs'), unit: 'ms', compared: `${band(plain, runs, 'cpuMs')} ms` },
  ];
}

/** The peer's figures, measured in the same alternation as Chative's; no goals (they are not ours). */
function peerFigures(plain: Run[], peerRuns: Run[], withW: Run[], gzipBytes: number, lh: BootupResult | null): Figure[] {
  const P = `Peer: ${PEER_LABEL}`;
  const med = (rs: Run[], k: keyof Run) => median(rs.map((r) => r[k] as number));
  const added = (k: keyof Run) => med(peerRuns, k) - med(plain, k);
  const vs = (k: keyof Run, unit: string, f = (v: number) => v) => `Chative ${f(med(withW, k) - med(plain, k)).toFixed(0)} ${unit}`;
  return [
    { section: P, name: 'main-thread time added (4× throttle)', value: Math.max(0, added('taskMs')), unit: 'ms',
      compared: `bare ${med(plain, 'taskMs').toFixed(0)} ms, with peer ${med(peerRuns, 'taskMs').toFixed(0)} ms; ${band(plain, peerRuns, 'taskMs')} ms; ${vs('taskMs', 'ms')}` },
    { section: P, name: 'main-thread CPU time added (thread time)', value: Math.max(0, added('cpuMs')), unit: 'ms', compared: vs('cpuMs', 'ms') },
    { section: P, name: 'long tasks > 50 ms added', value: Math.max(0, added('longTasks')), unit: '',
      compared: `longest ${Math.max(...peerRuns.map((r) => r.longestMs)).toFixed(0)} ms; Chative ${Math.max(0, med(withW, 'longTasks') - med(plain, 'longTasks'))}` },
    { section: P, name: 'load event delayed by', value: Math.max(0, added('loadMs')), unit: 'ms', compared: `${band(plain, peerRuns, 'loadMs')} ms; ${vs('loadMs', 'ms')}` },
    { section: P, name: 'bytes a page view adds (on the wire, uncompressed)', value: kb(added('bytes')), unit: 'KB',
      compared: `${(gzipBytes / 1024).toFixed(0)} KB gzip -9; ${band(plain, peerRuns, 'bytes', kb)} KB; ${vs('bytes', 'KB', kb)}` },
    { section: P, name: 'own script time (Lighthouse bootup-time)', value: lh ? lh.medianMs : null, unit: 'ms',
      ...(lh ? { compared: `mobile 4×, median of ${lh.runsMs.length}; ${bootupCompared(lh)}` } : { note: 'Lighthouse did not run (see notes)' }) },
  ];
}

/** Chart panels: bare page, Chative and the peer side by side, all measured in this run. */
function comparisons(plain: Run[], withW: Run[], withTag: Run[], peerRuns: Run[] | undefined, floorRuns: Run[], lhC: BootupResult | null, lhP: BootupResult | null): Comparison[] {
  const med = (rs: Run[], k: keyof Run) => median(rs.map((r) => r[k] as number));
  const rows = (k: keyof Run, f = (v: number) => v) => {
    const row = (label: string, rs: Run[], ours?: boolean) => {
      const d = pairedDifference(plain.map((r) => f(r[k] as number)), rs.map((r) => f(r[k] as number)));
      return { label: `${label} (+${d.added.toFixed(0)}, p25–p75 ${d.p25.toFixed(0)}…${d.p75.toFixed(0)})`, value: f(med(rs, k)), ours };
    };
    return [{ label: 'bare page', value: f(med(plain, k)) }, row('Chative', withW, true), row('Chative, plain async tag', withTag, true), ...(peerRuns ? [row(PEER_LABEL, peerRuns)] : []), row('floor: a 400-byte script inserted after load', floorRuns)];
  };
  const out: Comparison[] = [
    { title: 'Main-thread time of the page (renderer TaskDuration, ms, 4× CPU throttle; medians, + added vs bare)', unit: 'ms', bars: rows('taskMs') },
    { title: 'When the page\'s load event fires (ms, 4× CPU throttle)', unit: 'ms', bars: rows('loadMs') },
    { title: 'Bytes the page view loads (KB on the wire: Chative gzipped by its server, the peer uncompressed)', unit: 'KB', bars: rows('bytes', kb) },
  ];
  if (lhC) out.push({ title: 'The widget\'s own script time (Lighthouse bootup-time, ms, mobile 4×, medians)', unit: 'ms',
    bars: [{ label: 'Chative', value: lhC.medianMs, ours: true }, ...(lhP ? [{ label: PEER_LABEL, value: lhP.medianMs }] : [])] });
  return out;
}
