// The loader's DOM: one open shadow root on <div id="chative-root"> with the launcher, and a window
// shell (header, close button, a status line) shown the moment the visitor opens the chat, until the
// window's code takes the slot over. Dynamic values are CSS custom properties: no inline styles.
import { addSheet } from './sheet';
import { createLauncher, type Launcher } from './launcher';
import { launcherCss, shellCss } from './styles';
import { parseWords, type Words } from './words';

// The server stores only #rrggbb; a `#` and word characters can never become a url() request.
const SAFE_COLOR = /^#\w+$/;

export interface PublicConfig { color?: string; position?: string; greeting?: string; greetings?: Record<string, string>; theme?: string }

export interface Ui {
  host: HTMLElement;
  root: HTMLElement;
  /** Where the window renders: the shell now, the Preact window once its code runs. */
  slot: HTMLElement;
  launcher: Launcher;
  words: Words;
  /** Open state: launcher label, the `open` class (hides the launcher under a full-screen window), frame sheet. */
  setOpen(open: boolean): void;
  /** Show the placeholder window with `text` (loading / failed), or remove it (null). */
  shell(text: string | null, onClose?: () => void): void;
  /** Colour and side from the public site config. */
  style(config: PublicConfig | null): void;
  title(): string;
  /** Adopt one more stylesheet (the window's module has no copy of this code). */
  addSheet(css: string): void;
  /** The window's language's words ("lang|open|…", none: English) for the launcher and shell from now on. */
  setWords(row?: string): void;
}

/** An element with a class and, optionally, text (the shell's parts). */
const el = <K extends keyof HTMLElementTagNameMap>(tag: K, className: string, text = '') => {
  const e = document.createElement(tag);
  e.className = className;
  e.textContent = text;
  return e;
};

export function createUi(words: Words): Ui {
  const host = el('div', '');
  host.id = 'chative-root';
  const shadow = host.attachShadow({ mode: 'open' });
  addSheet(shadow, launcherCss);
  const root = el('div', '');
  const slot = el('div', '');
  slot.style.display = 'contents';
  const launcher = createLauncher(words);
  root.append(slot, launcher.el);
  shadow.appendChild(root);
  let framed = 0;
  let left = '';
  let isOpen = false;
  let greeting = '';
  let theme = ' auto'; // the sites' default: follow prefers-color-scheme
  const cls = () => { root.className = 'root' + left + (isOpen ? ' open' : '') + theme; };
  cls();
  const ui: Ui = {
    host, root, slot, launcher, words,
    setOpen(open) {
      // First open: the frame's sheet (the window's module keeps it to the visual viewport).
      if (open && !framed++) addSheet(shadow, shellCss);
      if (open != isOpen) { isOpen = open; cls(); launcher.update(open); }
    },
    shell(text, onClose) {
      slot.textContent = '';
      if (text == null) return;
      const win = slot.appendChild(el('section', 'window'));
      win.setAttribute('role', 'dialog');
      win.setAttribute('aria-label', ui.title());
      const header = win.appendChild(el('header', 'header'));
      const x = el('button', 'x', '×');
      x.type = 'button';
      x.setAttribute('aria-label', words.close);
      if (onClose) x.onclick = onClose;
      header.append(el('h2', '', ui.title()), x);
      win.appendChild(el('p', 'body hint', text)).setAttribute('role', 'status');
    },
    style(config) {
      const c = config?.color;
      if (c && SAFE_COLOR.test(c)) host.style.setProperty('--chative-color', c);
      // The greeting in the visitor's language; the site's own `greeting` is its English one.
      greeting = config?.greetings?.[words.lang] || (words.lang == 'en' && config?.greeting) || '';
      left = config?.position == 'left' ? ' left' : '';
      theme = config?.theme == 'dark' ? ' dark' : config?.theme == 'light' ? '' : ' auto';
      cls();
    },
    title: () => greeting || words.title,
    addSheet: (css) => addSheet(shadow, css),
    // in place: the launcher, the shell and the window all hold this one object
    setWords(row) { Object.assign(words, parseWords(row)); launcher.update(isOpen); },
  };
  (document.body || document.documentElement).appendChild(host);
  return ui;
}
