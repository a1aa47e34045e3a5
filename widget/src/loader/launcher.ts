// The round button that opens the chat, in plain DOM: it paints before Preact or the chat window's
// code has even arrived. Its accessible name is public (CONTRACT §3).
import type { Words } from './words';

const SVG = 'http://www.w3.org/2000/svg';
const ICON = 'M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z';

export interface Launcher { el: HTMLButtonElement; update(open: boolean, unread: number): void }

export function createLauncher(doc: Document, words: Words): Launcher {
  const el = doc.createElement('button');
  el.type = 'button';
  el.className = 'launcher';
  const svg = doc.createElementNS(SVG, 'svg'); // no innerHTML: hosts enforcing Trusted Types would throw
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('aria-hidden', 'true');
  const path = doc.createElementNS(SVG, 'path');
  path.setAttribute('d', ICON);
  svg.appendChild(path);
  const badge = doc.createElement('span');
  badge.className = 'badge';
  badge.setAttribute('aria-hidden', 'true');
  const sr = doc.createElement('span');
  sr.className = 'sr';
  el.append(svg);
  let shown: string | null = null;
  let isOpen: boolean | null = null;
  const update = (open: boolean, unread: number) => {
    if (open !== isOpen) {
      isOpen = open;
      el.setAttribute('aria-label', open ? words.close : words.open);
      el.setAttribute('aria-expanded', String(open));
    }
    const key = unread > 0 ? String(unread) : null;
    if (key === shown) return;
    shown = key;
    if (unread > 0) {
      badge.textContent = unread > 99 ? '99+' : String(unread);
      sr.textContent = words.unread(unread);
      el.append(badge, sr);
    } else {
      badge.remove();
      sr.remove();
    }
  };
  update(false, 0);
  return { el, update };
}
