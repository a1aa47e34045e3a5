// One measured page load in headless Chromium at 4× CPU throttling, the same for the plain page,
// Chative's page and the peer widget's page: main-thread time, long tasks, layout shift, load, bytes.
import type { Browser } from 'playwright-core';

export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** What is on the page: nothing, Chative's snippet, or the peer widget (waited for by its launcher's selector). */
export type PageKind = { kind: 'plain' } | { kind: 'chative' } | { kind: 'peer'; launcherSelector: string } | { kind: 'floor' };

// Runs before any page script: collects long tasks, layout shifts and the first frame after an "Open chat"
// button appears in a shadow root (the widget marks nothing itself since issue 10's mainthread pass; older builds
// set a 'chative:launcher' measure, still read when present).
const INIT = `(() => {
  let seen;
  const b = window.__bench = { longtasks: [], cls: 0, launcherSeenAt: null, launcher: new Promise((r) => { seen = r; }) };
  new PerformanceObserver((l) => { for (const e of l.getEntries()) b.longtasks.push(e.duration); }).observe({ type: 'longtask', buffered: true });
  new PerformanceObserver((l) => { for (const e of l.getEntries()) if (!e.hadRecentInput) b.cls += e.value; }).observe({ type: 'layout-shift', buffered: true });
  const hasLauncher = (root) => [...root.querySelectorAll('button')].some((x) => /open chat/i.test(x.getAttribute('aria-label') || x.textContent || ''));
  // Only elements that arrive with a shadow root are watched: a rAF loop per element on the plain page
  // kept it rendering frames for the whole run and inflated the baseline the widget is compared to.
  const watch = (host) => {
    const tick = () => {
      if (b.launcherSeenAt !== null) return;
      if (hasLauncher(host.shadowRoot)) requestAnimationFrame(() => { b.launcherSeenAt = performance.now(); seen(); });
      else requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  };
  new MutationObserver((muts) => {
    for (const m of muts) for (const n of m.addedNodes) if (n.nodeType === 1 && n.shadowRoot) watch(n);
  }).observe(document, { childList: true, subtree: true });
})();`;

/** A promise that resolves once the launcher is there (or at once on the plain page). Chative's and the floor's pages
 *  wait on the watcher's promise (no timers: polling ran on the widget's pages only and was counted as their cost);
 *  the peer's launcher is no shadow root, so its page polls. */
function launcherWait(page: PageKind, timeoutMs: number): string {
  if (page.kind === 'plain') return 'true';
  if (page.kind !== 'peer') return `Promise.race([window.__bench.launcher, new Promise((r) => setTimeout(r, ${timeoutMs}))])`;
  return `new Promise((resolve) => {
    const t0 = performance.now();
    const check = () => {
      if (document.querySelector(${JSON.stringify(page.launcherSelector)}) !== null || performance.now() - t0 > ${timeoutMs}) resolve(true);
      else setTimeout(check, 100);
    };
    check();
  })`;
}

// Watches one click on the launcher: from the click event to the frame after the window (the loader's
// shell, or the window itself) is in the shadow root. Set up after the page's figures are taken.
const SHELL_WATCH = `window.__shell = new Promise((resolve) => {
  const root = document.getElementById('chative-root')?.shadowRoot;
  if (!root) return resolve(null);
  let t0 = null;
  root.addEventListener('click', (e) => { t0 = e.timeStamp; }, { capture: true, once: true });
  new MutationObserver((m, o) => {
    if (t0 === null || !root.querySelector('[role=dialog]')) return;
    o.disconnect();
    requestAnimationFrame(() => resolve(performance.now() - t0));
  }).observe(root, { childList: true, subtree: true });
  setTimeout(() => resolve(null), 10000);
})`;
const LAUNCHER_CENTRE = `(() => {
  const b = document.getElementById('chative-root')?.shadowRoot?.querySelector('button.launcher')?.getBoundingClientRect();
  return b ? { x: b.x + b.width / 2, y: b.y + b.height / 2 } : null;
})()`;

export type TraceEvent = { name: string; ph: string; pid: number; tid: number; ts?: number; dur?: number; tdur?: number; args?: { name?: string; beginData?: { url?: string }; data?: { url?: string; functionName?: string } } };

const threadKey = (e: TraceEvent) => `${e.pid}:${e.tid}`;

/** The complete events of the page renderer's main thread (the renderer that parsed this page's URL). */
export function pageMainEvents(events: TraceEvent[], pageUrl: string): TraceEvent[] {
  const mains = new Set(events.filter((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map(threadKey));
  // The browser's own chrome:// renderers (omnibox popup, new-tab page) parse HTML in the same trace
  // and used to be summed in: ours is the renderer that parsed this page's URL.
  const page = new Set(events.filter((e) => e.name === 'ParseHTML' && mains.has(threadKey(e)) && e.args?.beginData?.url === pageUrl).map(threadKey));
  return events.filter((e) => e.ph === 'X' && page.has(threadKey(e)));
}

/** Thread-CPU ms of the page renderer's main-thread tasks: robust when other work shares the CPU. */
function mainThreadCpuMs(events: TraceEvent[], pageUrl: string): number {
  let us = 0;
  for (const e of pageMainEvents(events, pageUrl)) if (e.name === 'RunTask') us += e.tdur ?? 0;
  return us / 1000;
}

export type Run = {
  cpuMs: number; taskMs: number; longTasks: number; longestMs: number; cls: number; loadMs: number;
  /** Bytes on the wire for everything the page loaded (DevTools Network encodedDataLength), and how many requests. */
  bytes: number; requests: number;
  launcherMs: number | null; launcherHow: string; shellMs: number | null;
  /** The launcher came after the measuring window had ended (the figures then span a longer time than the bare page's). */
  overran: boolean;
  /** The page renderer's main-thread trace events, when asked for (tests/bench/host-trace.ts). */
  events?: TraceEvent[];
};

/**
 * One load of `url`. The page's figures are taken `windowMs` after navigation began, the same span for every page
 * (a page that waits for its launcher no longer gets a longer window than the bare page, whose idle tasks were
 * then counted against the widget); if the launcher came later than that, 1 s after it (`overran`).
 */
export async function oneRun(browser: Browser, url: string, what: PageKind, windowMs: number, keepTrace = false): Promise<Run> {
  const withWidget = what.kind === 'chative';
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  try {
    const page = await context.newPage();
    await page.addInitScript(INIT);
    const cdp = await context.newCDPSession(page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
    await cdp.send('Performance.enable');
    await cdp.send('Network.enable');
    let bytes = 0, requests = 0;
    cdp.on('Network.requestWillBeSent', () => { requests++; });
    cdp.on('Network.loadingFinished', (e) => { bytes += e.encodedDataLength; });
    const events: TraceEvent[] = [];
    cdp.on('Tracing.dataCollected', (e) => { events.push(...(e.value as unknown as TraceEvent[])); });
    const traced = new Promise((r) => cdp.once('Tracing.tracingComplete', r));
    await cdp.send('Tracing.start', { transferMode: 'ReportEvents', traceConfig: { includedCategories: ['disabled-by-default-devtools.timeline', 'devtools.timeline', '__metadata'] } });
    const t0 = Date.now();
    await page.goto(url, { waitUntil: 'load' });
    // Wait for the launcher with one plain Runtime.evaluate, the same call on both pages: Playwright's
    // waitForFunction first injects its own utility script (60–160 ms of main thread at 4×), which ran
    // on the widget page only and was counted as the widget's cost.
    await cdp.send('Runtime.evaluate', { expression: launcherWait(what, 15_000), awaitPromise: true }); // timeout: "not measured" below
    const left = windowMs - (Date.now() - t0);
    await page.waitForTimeout(left > 0 ? left : 1000); // the page goes idle: nothing we load runs after this
    const overran = left <= 0;
    const { metrics } = await cdp.send('Performance.getMetrics');
    const taskS = metrics.find((m) => m.name === 'TaskDuration')?.value ?? NaN;
    const loaded = { bytes, requests }; // taken with the other figures, before the click below loads the window
    await cdp.send('Tracing.end');
    await traced;
    const p = await page.evaluate(() => {
      const b = (window as any).__bench;
      const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
      const entry = performance.getEntriesByName('chative:launcher')[0];
      const script = performance.getEntriesByType('resource').find((e) => /\/widget\.js(\?|$)/.test(e.name)) as PerformanceResourceTiming | undefined;
      let launcherMs: number | null = null;
      let how = 'none';
      if (entry && entry.entryType === 'measure') { launcherMs = entry.duration; how = 'measure'; }
      else if (entry && script) { launcherMs = entry.startTime - script.responseEnd; how = 'mark'; }
      else if (b.launcherSeenAt !== null && script) { launcherMs = b.launcherSeenAt - script.responseEnd; how = 'dom'; }
      return { longtasks: b.longtasks as number[], cls: b.cls as number, loadMs: nav.loadEventStart, launcherMs, how };
    });
    // Click → window shell, with this context's cold cache for the window's module (a real mouse
    // event through DevTools, at the launcher's centre), after the page figures above were taken.
    let shellMs: number | null = null;
    if (withWidget) {
      const centre = (await cdp.send('Runtime.evaluate', { expression: LAUNCHER_CENTRE, returnByValue: true })).result.value as { x: number; y: number } | null;
      if (centre) {
        await cdp.send('Runtime.evaluate', { expression: SHELL_WATCH });
        await cdp.send('Input.dispatchMouseEvent', { type: 'mousePressed', x: centre.x, y: centre.y, button: 'left', clickCount: 1 });
        await cdp.send('Input.dispatchMouseEvent', { type: 'mouseReleased', x: centre.x, y: centre.y, button: 'left', clickCount: 1 });
        shellMs = (await cdp.send('Runtime.evaluate', { expression: 'window.__shell', awaitPromise: true, returnByValue: true })).result.value as number | null;
      }
    }
    return {
      cpuMs: mainThreadCpuMs(events, url),
      taskMs: taskS * 1000,
      longTasks: p.longtasks.length,
      longestMs: p.longtasks.length ? Math.max(...p.longtasks) : 0,
      cls: p.cls,
      loadMs: p.loadMs,
      ...loaded,
      launcherMs: withWidget ? p.launcherMs : null,
      launcherHow: p.how,
      overran,
      shellMs,
      ...(keepTrace ? { events: pageMainEvents(events, url) } : {}),
    };
  } finally {
    await context.close();
  }
}

