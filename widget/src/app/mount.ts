// The chat window on the loader's shadow root: Preact renders it into the loader's slot while the
// chat is open (replacing the shell), and the launcher follows the core's state. The window's own
// stylesheet is parsed on its first open.
import { render } from 'preact';
import { ChatWindow } from './App';
import { windowCss } from './styles';
import { createBadge } from './badge';
import type { Ui } from '../loader/ui';
import type { Core } from '../core/widget-core';
import type { Strings } from './i18n';

/** The on-screen keyboard shrinks the visual viewport, not the layout one: the full-screen window
 *  (phones) is sized to it, so the composer stays above the keyboard. Read only once the chat opens:
 *  visualViewport.height forces a layout, which the launcher never needs. */
function fitToVisualViewport(host: HTMLElement) {
  const vv = (globalThis as { visualViewport?: VisualViewport }).visualViewport;
  if (!vv) return;
  const fit = () => {
    host.style.setProperty('--chative-vv-height', vv.height + 'px');
    host.style.setProperty('--chative-vv-top', vv.offsetTop + 'px');
  };
  vv.addEventListener('resize', fit);
  vv.addEventListener('scroll', fit);
  fit();
}

export function connectWindow(ui: Ui, core: Core, strings: Strings): void {
  let sheet = false;
  let wasOpen = false;
  let config: unknown = null;
  const badge = createBadge(ui, strings);
  ui.root.addEventListener('keydown', (e) => { if (e.key === 'Escape' && core.getState().open) core.close(); });
  // Runs on every state change of the session boot: touch the DOM only where something changed.
  const follow = () => {
    const s = core.getState();
    if (s.config && s.config !== config) { config = s.config; ui.style(s.config); }
    ui.setOpen(s.open);
    badge(s.unread);
    if (s.open) {
      if (!sheet) { sheet = true; ui.addSheet(windowCss); fitToVisualViewport(ui.host); }
      if (!wasOpen) ui.shell(null); // the loader's placeholder leaves; Preact owns the slot now
      render(ChatWindow({ core, strings, words: ui.words }), ui.slot); // a plain function of the state: no component of its own
    } else if (wasOpen) {
      render(null, ui.slot);
      ui.launcher.el.focus(); // in the same task that removes the dialog: focus never sits on <body>
    }
    wasOpen = s.open;
  };
  core.subscribe(follow);
  follow();
}
