// Bundle entry: find our own <script>, queue early calls, then (in a later task) build the widget,
// replay the queue and mount the launcher; the session boots after the host page's load + idle.
import { createClient } from '../client/http';
import { createBus } from '../client/bus';
import { createKv } from '../storage/kv';
import { createCore, type Core } from '../core/widget-core';
import { readTimezone } from '../core/timezone';
import { createApi } from '../commands/api';
import { installApi, queueEarlyCalls, type ChativeGlobal } from '../commands/queue';
import { pickStrings } from '../app/i18n';
import { mount } from '../app/mount';

performance.mark?.('chative:start');

function ownScript(): HTMLScriptElement | null {
  const current = document.currentScript as HTMLScriptElement | null;
  if (current?.src) return current;
  return document.querySelector<HTMLScriptElement>('script[src*="widget.js"][data-site]');
}

/** Run fn once the host page has loaded and the main thread is idle (at most 3 s after this call):
 *  the session's network, IndexedDB and Intl work then never delays the page's load event. */
function afterPageLoad(fn: () => void) {
  let done = false;
  const once = () => { if (!done) { done = true; fn(); } };
  const idle = () => ('requestIdleCallback' in window ? requestIdleCallback(once, { timeout: 1000 }) : setTimeout(once, 1));
  if (document.readyState === 'complete') idle();
  else addEventListener('load', idle, { once: true });
  setTimeout(once, 3000);
}

/** Run fn as soon as the load event fires (in its listener: the event is not held back), or after
 *  capMs when load is slow: an async script holds the load event until it has run, so the top level
 *  does as little as it can. */
function soonAfterLoad(fn: () => void, capMs: number) {
  let done = false;
  const once = () => {
    if (done) return;
    done = true;
    if (document.body) fn();
    else document.addEventListener('DOMContentLoaded', () => fn(), { once: true });
  };
  if (document.readyState === 'complete') return once();
  addEventListener('load', once, { once: true });
  setTimeout(once, capMs);
}

function boot() {
  const w = window as unknown as { Chative?: ChativeGlobal & { __chative?: boolean } };
  const chative = (w.Chative = w.Chative || { q: [] });
  if (chative.__chative) return; // loaded twice: the first copy keeps working
  chative.__chative = true;
  queueEarlyCalls(chative); // pages without the stub can call the API from now on
  const script = ownScript(); // document.currentScript is only set while this top level runs
  const siteId = script?.dataset.site || 'default';
  const origin = new URL(script?.src || location.href, location.href).origin;
  const consent = script?.dataset.consent === 'on-open';
  const start = () => {
    const { lang, strings } = pickStrings([document.documentElement.lang, ...(navigator.languages || [navigator.language])]);
    let core: Core | null = null;
    /** The core is most of the bundle's code, compiled on its first call: a task of its own. */
    const ensureCore = (): Core => {
      if (core) return core;
      const c = (core = createCore({
        client: createClient(origin, siteId),
        kv: createKv(),
        bus: createBus(siteId),
        siteId,
        consent,
        timezone: readTimezone,
        locale: lang,
      }));
      installApi(chative, createApi(c));
      ui.connect(c);
      if (!consent) afterPageLoad(() => c.start());
      return c;
    };
    const ui = mount(strings, () => {
      const c = ensureCore(); // a click before the idle callback below
      if (c.getState().open) c.close();
      else c.open();
    });
    requestAnimationFrame(() => performance.measure?.('chative:launcher', 'chative:start'));
    if ('requestIdleCallback' in window) requestIdleCallback(() => ensureCore(), { timeout: 500 });
    else setTimeout(ensureCore, 50);
  };
  soonAfterLoad(start, 300);
}

boot();
