import type { ComponentChildren } from 'preact';
import type { Route } from '../lib/hash-route';
import type { StreamStatus } from '../lib/agent-stream';

type NavItem = { href: string; label: string; active: (r: Route) => boolean };
const MAIN: NavItem[] = [
  { href: '#/inbox', label: 'Inbox', active: (r) => r.name === 'inbox' },
  { href: '#/contacts', label: 'Contacts', active: (r) => r.name === 'contacts' || r.name === 'contact' || r.name === 'merge' },
  { href: '#/import', label: 'Import', active: (r) => r.name === 'import' },
];
const SETTINGS: NavItem[] = [
  { href: '#/settings/fields', label: 'Custom fields', active: (r) => r.name === 'fields' },
  { href: '#/settings/tags', label: 'Tags', active: (r) => r.name === 'tags' },
  { href: '#/settings/widget', label: 'Widget', active: (r) => r.name === 'widget' },
  { href: '#/settings/data', label: 'Data retention', active: (r) => r.name === 'retention' },
];

const STATUS_LABEL: Record<StreamStatus, string> = { live: 'Live', connecting: 'Connecting…', offline: 'Reconnecting…' };

/** Sidebar navigation + main landmark shared by every signed-in screen. */
export function Layout({ route, status, onSignOut, children }: { route: Route; status: StreamStatus; onSignOut: () => void; children: ComponentChildren }) {
  const link = (n: NavItem) => (
    <li key={n.href}><a href={n.href} class={n.active(route) ? 'nav-link active' : 'nav-link'} aria-current={n.active(route) ? 'page' : undefined}>{n.label}</a></li>
  );
  return (
    <div class="shell">
      <a class="skip-link" href="#main">Skip to content</a>
      <header class="sidebar">
        <div class="brand"><span class="brand-mark" aria-hidden="true">C</span> Chative</div>
        <nav aria-label="Console">
          <ul class="nav-list">{MAIN.map(link)}</ul>
          <p class="nav-heading" id="nav-settings">Settings · Contact</p>
          <ul class="nav-list" aria-labelledby="nav-settings">{SETTINGS.map(link)}</ul>
        </nav>
        <div class="sidebar-foot">
          <span class={`live-dot live-${status}`} role="status">{STATUS_LABEL[status]}</span>
          <button type="button" class="btn btn-ghost btn-small" onClick={onSignOut}>Sign out</button>
        </div>
      </header>
      <main id="main" class="main" tabIndex={-1}>{children}</main>
    </div>
  );
}
