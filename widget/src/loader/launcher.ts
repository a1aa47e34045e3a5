// The round button that opens the chat, in plain DOM: it paints before Preact or the chat window's
// code has even arrived. Its accessible name is public (CONTRACT §3). The unread badge is the window
// module's (app/badge.ts): unread messages exist only once that code runs.
import type { Words } from './words';

const SVG = 'http://www.w3.org/2000/svg';

export interface Launcher { el: HTMLButtonElement; update(open: boolean): void }

export function createLauncher(words: Words): Launcher {
  const el = document.createElement('button');
  el.type = 'button';
  el.className = 'launcher';
  const svg = document.createElementNS(SVG, 'svg'); // no innerHTML: hosts enforcing Trusted Types would throw
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('aria-hidden', 'true');
  svg.appendChild(document.createElementNS(SVG, 'path')).setAttribute('d', 'M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z');
  el.append(svg);
  const update = (open: boolean) => {
    el.setAttribute('aria-label', open ? words.close : words.open);
    el.setAttribute('aria-expanded', '' + open);
  };
  update(false);
  return { el, update };
}
