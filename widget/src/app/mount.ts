// Mount the widget in one open shadow root on <div id="chative-root">: the launcher in plain DOM at
// once, the Preact chat window only while open. Styles are constructable stylesheets, so a host CSP
// without style-src 'unsafe-inline' still works; the window's sheet is parsed on the first open.
import { h, render } from 'preact';
import { ChatWindow } from './App';
import { createLauncher } from '../loader/launcher';
import { launcherCss, windowCss } from './styles';
import type { Core } from '../core/widget-core';
import type { Strings } from './i18n';

const SAFE_COLOR = /^(#[0-9a-f]{3,8}|rgba?\([\d\s.,%]+\)|[a-z]+)$/i;

/** Add a stylesheet to the shadow root: adopted where supported, else a <style> element. */
function addSheet(shadow: ShadowRoot, css: string, doc: Document) {
  if ('adoptedStyleSheets' in shadow && typeof CSSStyleSheet === 'function' && 'replaceSync' in CSSStyleSheet.prototype) {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(css);
    shadow.adoptedStyleSheets = [...shadow.adoptedStyleSheets, sheet];
  } else {
    const style = doc.createElement('style'); // old browsers without constructable stylesheets
    style.textContent = css;
    shadow.appendChild(style);
  }
}

export interface Mounted {
  host: HTMLElement;
  /** Follow the core's state from now on (the launcher paints before the core exists). */
  connect(core: Core): void;
}

/** Paint the launcher; `onLauncher` runs on its clicks (main.ts makes the core then, if need be). */
export function mount(strings: Strings, onLauncher: () => void, doc: Document = document): Mounted {
  let core: Core | null = null;
  const host = doc.createElement('div');
  host.id = 'chative-root';
  const shadow = host.attachShadow({ mode: 'open' });
  addSheet(shadow, launcherCss, doc);
  const root = doc.createElement('div');
  root.className = 'root';
  const windowSlot = doc.createElement('div'); // Preact renders the chat window in here
  windowSlot.style.display = 'contents';
  const launcher = createLauncher(doc, strings, onLauncher);
  root.append(windowSlot, launcher.el);
  root.addEventListener('keydown', (e) => { if (e.key === 'Escape' && core?.getState().open) core.close(); });
  shadow.appendChild(root);

  let windowReady = false;
  let wasOpen = false;
  let color = '';
  let rootClass = 'root';
  /** First open: the window's stylesheet, and its size kept to the visual viewport. */
  const prepareWindow = () => {
    windowReady = true;
    addSheet(shadow, windowCss, doc);
    // The mobile keyboard shrinks the visual viewport, not the layout one: size the window to it.
    // Read only from here: visualViewport.height forces a layout, which the launcher never needs.
    const vv = (globalThis as { visualViewport?: VisualViewport }).visualViewport;
    if (vv) {
      const fit = () => {
        host.style.setProperty('--chative-vv-height', vv.height + 'px');
        host.style.setProperty('--chative-vv-top', vv.offsetTop + 'px');
      };
      vv.addEventListener('resize', fit);
      vv.addEventListener('scroll', fit);
      fit();
    }
  };
  // Runs on every state change of the session boot: touch the DOM only where something changed.
  const follow = () => {
    if (!core) return;
    const s = core.getState();
    const c = s.config?.color;
    if (c && c !== color && SAFE_COLOR.test(c)) { color = c; host.style.setProperty('--chative-color', c); }
    // `open` hides the launcher under a full-screen window: it must never sit on the composer.
    const cls = 'root' + (s.config?.position === 'left' ? ' left' : '') + (s.open ? ' open' : '');
    if (cls !== rootClass) { rootClass = cls; root.className = cls; }
    launcher.update(s.open, s.unread);
    if (s.open) {
      if (!windowReady) prepareWindow();
      render(h(ChatWindow, { core: core!, strings }), windowSlot);
    } else if (wasOpen) {
      render(null, windowSlot);
      launcher.el.focus(); // in the same task that removes the dialog: focus never sits on <body>
    }
    wasOpen = s.open;
  };
  (doc.body || doc.documentElement).appendChild(host);
  return {
    host,
    connect(c: Core) {
      core = c;
      c.subscribe(follow);
      follow();
    },
  };
}
