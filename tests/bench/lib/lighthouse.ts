// Lighthouse 12.2.3's `bootup-time` for chosen scripts of a page and `mainthread-work-breakdown` for the whole page:
// mobile defaults (simulated 4× CPU), median of N runs. Installed by the bench into tests/.tmp/lighthouse (13 needs Node 22; we run 20).
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ensureInstalled } from './installs';
import { median } from './stats';

export const LIGHTHOUSE_SPEC = 'lighthouse@12.2.3';
export const LIGHTHOUSE_FLAGS = ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

type BootupRow = { url: string; total: number; scripting: number; scriptParseCompile: number };
type GroupRow = { group: string; duration: number };
type Lhr = { lighthouseVersion: string; audits: Record<string, { numericValue?: number; details?: { items?: (BootupRow & GroupRow)[] } }>; runtimeError?: { message: string } };
type LighthouseFn = (url: string, flags: object, config: object) => Promise<{ lhr: Lhr } | undefined>;
type ChromeLauncher = { launch(o: { chromePath: string; chromeFlags: string[] }): Promise<{ port: number; kill(): void | Promise<void> }> };

/** One page to audit and which of its script URLs count as "the widget". */
export type BootupTarget = { label: string; pageUrl: string; owns: (scriptUrl: string) => boolean; /** fewer runs than the others (a slow peer) */ runs?: number };
/** runsMs: the owned scripts' bootup-time per run; mainMs: the whole page's main-thread work per run (the same runs);
 *  groups: that work by Lighthouse's category (scriptEvaluation, styleLayout, other, …) per run. */
export type BootupResult = { label: string; runsMs: number[]; medianMs: number; urls: string[]; mainMs: number[]; groups: Record<string, number>[] };

// Every URL's row, not only those over the audit's default 50 ms: a light widget must still be counted.
// mainthread-work-breakdown: every main-thread task of the page up to Lighthouse's quiet window (network and CPU idle
// for 1 s after load, so widget.js inserted after load is in it), scaled by the same simulated 4× — the page's total,
// compared with the bare page's in the same alternation (issue 10's "added main-thread time").
const CONFIG = { extends: 'lighthouse:default', settings: { onlyAudits: ['bootup-time', 'mainthread-work-breakdown'] }, audits: [{ path: 'bootup-time', options: { thresholdInMs: 0 } }] };

/** `scripting + scriptParseCompile` summed over the rows a target owns (already scaled by Lighthouse's 4×). */
export function ownedBootupMs(rows: readonly BootupRow[], owns: (url: string) => boolean): { ms: number; urls: string[] } {
  const mine = rows.filter((r) => owns(r.url));
  return { ms: mine.reduce((s, r) => s + r.scripting + r.scriptParseCompile, 0), urls: mine.map((r) => r.url) };
}

/**
 * Audits each target `runs` times, alternating targets so machine drift hits them alike, in one
 * Chromium (Lighthouse resets the origin's storage and cache before each run).
 */
export async function bootupTimes(root: string, targets: BootupTarget[], runs: number, log: (m: string) => void): Promise<{ ok: true; version: string; results: BootupResult[] } | { ok: false; reason: string }> {
  const dir = join(root, 'tests/.tmp/lighthouse');
  const inst = await ensureInstalled(dir, [LIGHTHOUSE_SPEC], log);
  if (!inst.ok) return inst;
  const mod = (p: string) => import(pathToFileURL(join(dir, 'node_modules', p)).href);
  const lighthouse = (await mod('lighthouse/core/index.js')).default as LighthouseFn;
  const launcher = (await mod('chrome-launcher/dist/index.js')) as ChromeLauncher;
  const chrome = await launcher.launch({ chromePath: '/usr/bin/chromium', chromeFlags: LIGHTHOUSE_FLAGS });
  const per = targets.map((t) => ({ ...t, runsMs: [] as number[], mainMs: [] as number[], groups: [] as Record<string, number>[], urls: new Set<string>() }));
  let version = '?';
  try {
    for (let i = 0; i < runs; i++) {
      for (const t of per) {
        if (i >= (t.runs ?? runs)) continue;
        const out = await lighthouse(t.pageUrl, { port: chrome.port, output: 'json', logLevel: 'error' }, CONFIG);
        if (!out) throw new Error(`Lighthouse returned nothing for ${t.label}`);
        if (out.lhr.runtimeError) throw new Error(`Lighthouse on ${t.label}: ${out.lhr.runtimeError.message}`);
        version = out.lhr.lighthouseVersion;
        const { ms, urls } = ownedBootupMs(out.lhr.audits['bootup-time']?.details?.items ?? [], t.owns);
        const main = out.lhr.audits['mainthread-work-breakdown']?.numericValue;
        if (typeof main !== 'number') throw new Error(`Lighthouse on ${t.label}: no mainthread-work-breakdown`);
        t.runsMs.push(ms);
        t.mainMs.push(main);
        t.groups.push(Object.fromEntries((out.lhr.audits['mainthread-work-breakdown']?.details?.items ?? []).map((g) => [g.group, g.duration])));
        urls.forEach((u) => t.urls.add(u));
        log(`lighthouse ${i + 1}/${t.runs ?? runs} ${t.label}: bootup-time ${ms.toFixed(0)} ms over ${urls.length} URL(s), main-thread work ${main.toFixed(0)} ms`);
      }
    }
  } finally {
    await chrome.kill();
  }
  return { ok: true, version, results: per.map((t) => ({ label: t.label, runsMs: t.runsMs, medianMs: median(t.runsMs), urls: [...t.urls], mainMs: t.mainMs, groups: t.groups })) };
}
