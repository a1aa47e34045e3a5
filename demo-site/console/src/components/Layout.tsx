import type { ComponentChildren } from 'preact';
import type { Route } from '../lib/hash-route';
import type { StreamStatus } from '../lib/agent-stream';
import type { Role } from '../api/schemas';
import { useApp } from '../app-context';
import { atLeast, ROLE_LABEL } from '../lib/roles';
import { Presence } from './Presence';
import { SegmentNav } from './SegmentNav';

/** `role`: the least role that sees the link (the screen checks too, and the server refuses beyond it). */
type NavItem = { href: string; label: string; active: (r: Route) => boolean; role?: Role };
const MAIN: NavItem[] = [
  { href: '#/inbox', label: 'Inbox', active: (r) => r.name === 'inbox' },
  { href: '#/contacts', label: 'Contacts', active: (r) => r.name === 'contacts' || r.name === 'contact' || r.name === 'merge' },
  { href: '#/import', label: 'Import', active: (r) => r.name === 'import', role: 'admin' },
];
const SETTINGS: NavItem[] = [
  { href: '#/settings/fields', label: 'Custom fields', active: (r) => r.name === 'fields', role: 'admin' },
  { href: '#/settings/tags', label: 'Tags', active: (r) => r.name === 'tags', role: 'admin' },
  { href: '#/settings/widget', label: 'Widget', active: (r) => r.name === 'widget', role: 'admin' },
  { href: '#/settings/data', label: 'Data retention', active: (r) => r.name === 'retention', role: 'admin' },
];
const TEAM: NavItem[] = [
  { href: '#/team', label: 'Team', active: (r) => r.name === 'team', role: 'admin' },
  { href: '#/settings/api-tokens', label: 'API tokens', active: (r) => r.name === 'tokens', role: 'admin' },
  { href: '#/profile', label: 'My profile', active: (r) => r.name === 'profile' },
];
const AUTOMATION: NavItem[] = [
  { href: '#/settings/rules', label: 'Rules', active: (r) => r.name === 'rules', role: 'admin' },
  { href: '#/settings/webhooks', label: 'Webhooks', active: (r) => r.name === 'webhooks', role: 'admin' },
];

const STATUS_LABEL: Record<StreamStatus, string> = { live: 'Live', connecting: 'Connecting…', offline: 'Reconnecting…' };

/** Sidebar navigation + main landmark shared by every signed-in screen. */
export function Layout({ route, status, onSignOut, children }: { route: Route; status: StreamStatus; onSignOut: () => void; children: ComponentChildren }) {
  const { me, inbox } = useApp();
  const unread = inbox.counts?.unread.all ?? 0;
  const link = (n: NavItem) => (
    <li key={n.href}><a href={n.href} class={n.active(route) ? 'nav-link active' : 'nav-link'} aria-current={n.active(route) ? 'page' : undefined}>
      {n.label}{n.href === '#/inbox' && unread > 0 && <span class="nav-count">{unread}<span class="visually-hidden"> unread</span></span>}
    </a></li>
  );
  const visible = (items: NavItem[]) => items.filter((n) => !n.role || atLeast(me.role, n.role));
  const settings = visible(SETTINGS);
  // my own open stream is what makes me online (GET /v1/me was read before it connected)
  const myPresence = me.agent?.presence === 'away' ? 'away' : status === 'live' ? 'online' : 'offline';
  return (
    <div class="shell">
      <a class="skip-link" href="#main">Skip to content</a>
      <header class="sidebar">
        <div class="brand"><span class="brand-mark" aria-hidden="true">C</span> Chative</div>
        <nav aria-label="Console">
          <ul class="nav-list">{visible(MAIN).map(link)}</ul>
          <SegmentNav route={route} />
          {settings.length > 0 && <>
            <p class="nav-heading" id="nav-settings">Settings · Contact</p>
            <ul class="nav-list" aria-labelledby="nav-settings">{settings.map(link)}</ul>
          </>}
          {visible(AUTOMATION).length > 0 && <>
            <p class="nav-heading" id="nav-automation">Settings · Automation</p>
            <ul class="nav-list" aria-labelledby="nav-automation">{visible(AUTOMATION).map(link)}</ul>
          </>}
          <p class="nav-heading" id="nav-team">Team</p>
          <ul class="nav-list" aria-labelledby="nav-team">{visible(TEAM).map(link)}</ul>
        </nav>
        <p class="sidebar-me">
          <span class="strong">{me.agent?.name ?? me.actor.name ?? 'API token'}</span>
          <span class="sidebar-role">{ROLE_LABEL[me.role]}{me.agent && <> · <Presence presence={myPresence} /></>}</span>
        </p>
        <div class="sidebar-foot">
          <span class={`live-dot live-${status}`} role="status">{STATUS_LABEL[status]}</span>
          <button type="button" class="btn btn-ghost btn-small" onClick={onSignOut}>Sign out</button>
        </div>
      </header>
      <main id="main" class="main" tabIndex={-1}>{children}</main>
    </div>
  );
}
