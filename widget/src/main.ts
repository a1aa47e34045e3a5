// Bundle entry: find our own <script>, build the widget, replay the stub's queue, mount the UI.
import { createClient } from './client/http';
import { createBus } from './client/bus';
import { createKv } from './storage/kv';
import { createCore } from './core/widget-core';
import { createApi } from './commands/api';
import { installApi, type ChativeGlobal } from './commands/queue';
import { pickStrings } from './app/i18n';
import { mount } from './app/mount';

performance.mark?.('chative:start');

function ownScript(): HTMLScriptElement | null {
  const current = document.currentScript as HTMLScriptElement | null;
  if (current?.src) return current;
  return document.querySelector<HTMLScriptElement>('script[src*="widget.js"][data-site]');
}

/** Run fn once the host page has loaded and the main thread is idle (at most 3 s after we ran):
 *  the session's network, IndexedDB and Intl work then never delays the page's load event. */
function afterPageLoad(fn: () => void) {
  let done = false;
  const once = () => { if (!done) { done = true; fn(); } };
  const idle = () => ('requestIdleCallback' in window ? requestIdleCallback(once, { timeout: 1000 }) : setTimeout(once, 1));
  if (document.readyState === 'complete') idle();
  else addEventListener('load', idle, { once: true });
  setTimeout(once, 3000);
}

function boot() {
  const w = window as unknown as { Chative?: ChativeGlobal & { __chative?: boolean } };
  const chative = (w.Chative = w.Chative || { q: [] });
  if (chative.__chative) return; // loaded twice: the first copy keeps working
  chative.__chative = true;
  const script = ownScript();
  const siteId = script?.dataset.site || 'default';
  const origin = new URL(script?.src || location.href, location.href).origin;
  const consent = script?.dataset.consent === 'on-open';
  const { lang, strings } = pickStrings([document.documentElement.lang, ...(navigator.languages || [navigator.language])]);
  const core = createCore({
    client: createClient(origin, siteId),
    kv: createKv(),
    bus: createBus(siteId),
    siteId,
    consent,
    timezone: () => Intl.DateTimeFormat().resolvedOptions().timeZone,
    locale: lang,
  });
  installApi(chative, createApi(core));
  const mountNow = () => {
    mount(core, strings);
    requestAnimationFrame(() => performance.measure?.('chative:launcher', 'chative:start'));
  };
  if (document.body) mountNow();
  else document.addEventListener('DOMContentLoaded', mountNow);
  if (!consent) afterPageLoad(() => core.start());
}

boot();
