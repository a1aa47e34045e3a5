// The round button that opens the chat, in plain DOM: it paints before Preact or the chat window's
// code has even arrived; its icon is CSS (loader/styles.ts). Its accessible name is public (CONTRACT §3). The unread badge is the window
// module's (app/badge.ts): unread messages exist only once that code runs.
import type { Words } from './words';

export interface Launcher { el: HTMLButtonElement; update(open: boolean): void }

export function createLauncher(words: Words): Launcher {
  const el = document.createElement('button');
  el.type = 'button';
  el.className = 'launcher';
  const update = (open: boolean) => {
    el.setAttribute('aria-label', open ? words.close : words.open);
    el.setAttribute('aria-expanded', '' + open);
  };
  update(false);
  return { el, update };
}
