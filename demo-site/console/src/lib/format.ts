/** "3 min ago" style relative time; falls back to a date for old times. */
export function relativeTime(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return 'Never';
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return '—';
  const s = Math.round((now - t) / 1000);
  if (s < 45) return 'Just now';
  if (s < 3600) return `${Math.round(s / 60)} min ago`;
  if (s < 86400) return `${Math.round(s / 3600)} h ago`;
  if (s < 7 * 86400) return `${Math.round(s / 86400)} d ago`;
  return new Date(t).toLocaleDateString(undefined, { year: 'numeric', month: 'short', day: 'numeric' });
}

/** The contact's local time now in their IANA timezone, or null when unknown/invalid. */
export function localTimeIn(timezone: string | null | undefined, now = new Date()): string | null {
  if (!timezone) return null;
  try {
    return new Intl.DateTimeFormat(undefined, { timeZone: timezone, hour: '2-digit', minute: '2-digit', weekday: 'short' }).format(now);
  } catch {
    return null; // unknown zone name: show the name without a time
  }
}

/** Two-letter initials for an avatar. */
export function initials(name: string | null | undefined): string {
  const parts = (name ?? '').trim().split(/\s+/).filter(Boolean);
  if (!parts.length) return '?';
  return (parts[0][0] + (parts.length > 1 ? parts[parts.length - 1][0] : '')).toUpperCase();
}

export function displayName(c: { name: string | null; email?: string | null; id: string }): string {
  return c.name || c.email || 'Unnamed visitor';
}

/** Who wrote an agent message: "You", a teammate's name, or "API" for an integration's token (no account). */
export function authorName(m: { agent?: { id: string; name: string } | null; agentName?: string | null }, myId: string | undefined): string {
  if (m.agent) return m.agent.id === myId ? 'You' : m.agent.name;
  return m.agentName || 'API';
}
