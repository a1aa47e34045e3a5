// The launcher's unread badge (a count, and the same count for screen readers), drawn by the window's
// module on the loader's launcher: only this code can know of unread messages.
import type { Strings } from './i18n';
import type { Ui } from '../loader/ui';
import { srCss } from './styles';

const css = srCss + `.badge{position:absolute;top:-4px;right:-4px;min-width:22px;height:22px;padding:0 6px;border-radius:11px;background:#d92d20;color:#fff;font-size:12px;line-height:22px;font-weight:700;text-align:center}`;

export function createBadge(ui: Ui, strings: Strings): (unread: number) => void {
  const launcher = ui.launcher.el;
  const doc = launcher.ownerDocument;
  let styled = false;
  const badge = doc.createElement('span');
  badge.className = 'badge';
  badge.setAttribute('aria-hidden', 'true');
  const sr = doc.createElement('span');
  sr.className = 'sr';
  let shown = 0;
  return (unread) => {
    if (unread === shown) return;
    shown = unread;
    if (unread > 0) {
      if (!styled) { styled = true; ui.addSheet(css); }
      badge.textContent = unread > 99 ? '99+' : String(unread);
      sr.textContent = strings.unread(unread);
      launcher.append(badge, sr);
    } else {
      badge.remove();
      sr.remove();
    }
  };
}
