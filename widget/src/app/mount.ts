// Mount the app in one open shadow root on <div id="chative-root">; styles adopted as a
// constructable stylesheet so a host CSP without style-src 'unsafe-inline' still works.
import { h, render } from 'preact';
import { App } from './App';
import { css } from './styles';
import type { Core } from '../core/widget-core';
import type { Strings } from './i18n';

const SAFE_COLOR = /^(#[0-9a-f]{3,8}|rgba?\([\d\s.,%]+\)|[a-z]+)$/i;

export function mount(core: Core, strings: Strings, doc: Document = document): HTMLElement {
  const host = doc.createElement('div');
  host.id = 'chative-root';
  const shadow = host.attachShadow({ mode: 'open' });
  if ('adoptedStyleSheets' in shadow && typeof CSSStyleSheet === 'function' && 'replaceSync' in CSSStyleSheet.prototype) {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(css);
    shadow.adoptedStyleSheets = [sheet];
  } else {
    const style = doc.createElement('style'); // old browsers without constructable stylesheets
    style.textContent = css;
    shadow.appendChild(style);
  }
  const follow = () => {
    const color = core.getState().config?.color;
    if (color && SAFE_COLOR.test(color)) host.style.setProperty('--chative-color', color);
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
  (doc.body || doc.documentElement).appendChild(host);
  render(h(App, { core, strings }), shadow);
  return host;
}
