// widget.js, the loader (≤ 3 KB gzip): it queues the host's early calls, paints the launcher and
// listens. The window (core, Preact, form, language) is an ES module fetched on intent: pointer, focus
// or touch on the launcher, a host call that needs the contact, or (after load) a returning visitor
// with a conversation. A page view without any of these makes no request: the server bakes the public site
// config into widget.js.
import { queueEarlyCalls, type ChativeGlobal, type QueuedCall } from '../commands/queue';
import { parseWords } from './words';
import { createUi, type PublicConfig, type Ui } from './ui';
import type { AppHandle, AppModule } from './handoff';

/** The window module's file name under widget/, set at build time from the app build's manifest. */
declare const __CHATIVE_APP__: string;
/** The site's public config, inlined by the server that serves widget.js; undefined in the file as built. */
declare const __CHATIVE_CONFIG__: (PublicConfig & { siteId?: string; words?: string }) | undefined;

/** Calls that need the contact or the window fetch the window's code at once; on/off just wait for it. */
const NEEDS_APP = /^(identify|update|getContact|reset|open|close|toggle)$/;

/** After load (the documented snippet inserts widget.js then): fn runs now, in the script's own task — a
 *  further task only added its overhead. Before load (a plain tag): in a task of its own just after the load
 *  event (not in its listener: the event's task stays short, no long task), or after capMs when load is slow
 *  (no <body> yet then: the root goes on <html>). */
function soonAfterLoad(fn: () => void, capMs: number) {
  let done = 0;
  const once = () => done++ || setTimeout(fn);
  if (document.readyState == 'complete') return fn();
  addEventListener('load', once);
  setTimeout(once, capMs);
}

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

function boot() {
  const w = window as unknown as { Chative?: ChativeGlobal & { __chative?: boolean } };
  const chative = (w.Chative = w.Chative || { q: [] });
  if (chative.__chative) return; // loaded twice: the first copy keeps working
  chative.__chative = true;
  queueEarlyCalls(chative); // pages without the stub can call the API from now on
  // Set while this top level runs (async or inserted, too); null only in a shadow tree, where no
  // document-wide query could find the tag either: the page's own origin and the default site then.
  const script = document.currentScript as HTMLScriptElement | null;
  const siteId = script?.dataset.site || 'default';
  const src = new URL(script?.src || location.href);
  const origin = src.origin;
  const consent = script?.dataset.consent === 'on-open';
  const appUrl = new URL('widget/' + __CHATIVE_APP__, src).href;

  let ui: Ui | null = null;
  const baked = __CHATIVE_CONFIG__;
  let config: PublicConfig | null = null;
  let app: Promise<AppHandle> | null = null;
  let handle: AppHandle | null = null;
  let wanted = false;
  let wantOpen = false;

  const closeShell = () => {
    wantOpen = false;
    ui!.shell(null);
    ui!.setOpen(false);
    ui!.launcher.el.focus();
  };
  /** Fetch the window's module (retrying with backoff: a failed import is cached per URL, so each
   *  retry asks for a new one) and hand it the page. */
  const load = (): Promise<AppHandle> => (app ||= (async () => {
    let mod: AppModule | null = null;
    for (let attempt = 0; !mod; attempt++) {
      try {
        mod = await import(/* @vite-ignore */ appUrl + (attempt ? '?retry=' + attempt : ''));
      } catch {
        if (wantOpen) ui!.shell(ui!.words.failed, closeShell);
        await wait(Math.min(30_000, 1000 * 2 ** attempt));
      }
    }
    handle = await mod!.start({ chative, siteId, origin, consent, ui: ui!, config });
    if (wantOpen) handle.open();
    return handle;
  })());
  const want = () => { wanted = true; if (ui) void load(); };
  /** Open now: the shell shows at once, the window takes over when its code has run (a click, or the host's open()). */
  const opening = () => {
    wantOpen = true;
    if (ui) { ui.setOpen(true); ui.shell(ui.words.loading, closeShell); }
  };
  /** The host's open/close/toggle before the window's code has arrived move the shell like a click does. */
  const watch = (calls: QueuedCall[]) => calls.forEach(([m]) => {
    if (NEEDS_APP.test(m)) want();
    if (!handle && /^(open|close|toggle)$/.test(m)) m == 'open' || (m == 'toggle' && !wantOpen) ? opening() : wantOpen && closeShell();
  });

  // Watch the queue: the stub and tag managers push onto it until the window's code replaces it.
  const q = chative.q as QueuedCall[];
  const push = q.push;
  q.push = function (...calls: QueuedCall[]) {
    watch(calls);
    return push.apply(this, calls);
  };
  watch(q);

  soonAfterLoad(() => {
    // The visitor's language's words (by Accept-Language) if the server baked them, whatever the site; else English.
    const u = (ui = createUi(parseWords(baked?.words)));
    const el = u.launcher.el;
    // The site config came inside widget.js (the server bakes it in): no request. Not for this data-site
    // (or a widget.js served as a plain file): the window's module reads it, and names a refusal to the host
    // (`error` event, console warning) — a misconfigured site never fails silently. Consent mode: not before open.
    if (baked?.siteId == siteId) u.style(config = baked);
    else if (!consent) want();
    // Intent: the pointer reaching the launcher (Pointer Events fire pointerenter for touch too, before
    // pointerdown: no touchstart listener, whose registration alone costs the page) or keyboard focus.
    for (const t of ['pointerenter', 'focus']) el.addEventListener(t, () => void load(), { once: true });
    el.addEventListener('click', () => {
      if (handle) return handle.toggle();
      wantOpen ? closeShell() : opening(); // one click opens
      void load();
    });
    if (wantOpen) opening();
    u.root.addEventListener('keydown', (e) => { if (e.key === 'Escape' && !handle && wantOpen) closeShell(); });
    if (wanted) void load();
    // A returning visitor who has chatted here before: the window's module checks (reading only) for a
    // conversation and resumes it, so agent replies raise the badge without opening. The marker is the cookie
    // storage/kv.ts sets when it opens the database. Read through the Cookie Store API where there is one
    // (secure contexts of current browsers): an asynchronous ask, where the first `document.cookie` read of a
    // page waits for the browser synchronously (3.6 ms median at 4x, up to 15, on the bench's machine). A
    // sandboxed frame refuses either: a first-time visitor then.
    if (!consent) {
      const resume = (yes: unknown) => yes && void load().then((h) => h.resume());
      const store = (window as { cookieStore?: { get(n: string): Promise<{ value: string } | null> } }).cookieStore;
      if (store) store.get('chative').then((c) => resume(c?.value == '1'), () => {});
      else try { resume(/(^|; )chative=1/.test(document.cookie)); } catch { /* no storage */ }
    }
  }, 300);
}

boot();
