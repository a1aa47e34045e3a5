// Mount the widget in one open shadow root on <div id="chative-root">: the launcher in plain DOM at
// once, the Preact chat window only while open. Styles are constructable stylesheets, so a host CSP
// without style-src 'unsafe-inline' still works; the window's sheet is parsed on the first open.
import { h, render } from 'preact';
import { ChatWindow } from './App';
import { createLauncher } from './launcher';
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

export function mount(core: Core, strings: Strings, doc: Document = document): HTMLElement {
  const host = doc.createElement('div');
  host.id = 'chative-root';
  const shadow = host.attachShadow({ mode: 'open' });
  addSheet(shadow, launcherCss, doc);
  const root = doc.createElement('div');
  root.className = 'root';
  const windowSlot = doc.createElement('div'); // Preact renders the chat window in here
  windowSlot.style.display = 'contents';
  const launcher = createLauncher(doc, strings, () => (core.getState().open ? core.close() : core.open()));
  root.append(windowSlot, launcher.el);
  root.addEventListener('keydown', (e) => { if (e.key === 'Escape' && core.getState().open) core.close(); });
  shadow.appendChild(root);

  let windowStyled = false;
  let wasOpen = false;
  const follow = () => {
    const s = core.getState();
    const color = s.config?.color;
    if (color && SAFE_COLOR.test(color)) host.style.setProperty('--chative-color', color);
    root.className = s.config?.position === 'left' ? 'root left' : 'root';
    launcher.update(s.open, s.unread);
    if (s.open) {
      if (!windowStyled) { windowStyled = true; addSheet(shadow, windowCss, doc); }
      render(h(ChatWindow, { core, strings }), windowSlot);
    } else if (wasOpen) {
      render(null, windowSlot);
      launcher.el.focus(); // in the same task that removes the dialog: focus never sits on <body>
    }
    wasOpen = s.open;
  };
  core.subscribe(follow);
  // The mobile keyboard shrinks the visual viewport, not the layout one: size the window to it.
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
  follow();
  (doc.body || doc.documentElement).appendChild(host);
  return host;
}
