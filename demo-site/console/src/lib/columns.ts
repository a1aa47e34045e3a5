// The CRM table's chosen columns and sort, remembered per agent in this browser (localStorage). Decision: no
// server-side preference until agent accounts exist (issue 11); the key is the signed-in identity — today a
// digest of the agent token, later the agent id — so two agents sharing a browser keep their own tables.
export type ColumnKey = string; // 'name' | 'email' | … | 'tags' | 'custom.<key>'
export type TablePrefs = { columns: ColumnKey[]; sort: { field: string; dir: 'asc' | 'desc' } };

export const BASIC_COLUMNS: { key: ColumnKey; label: string; sortable: boolean }[] = [
  { key: 'name', label: 'Name', sortable: true },
  { key: 'email', label: 'Email', sortable: true },
  { key: 'phone', label: 'Phone', sortable: true },
  { key: 'type', label: 'Type', sortable: true },
  { key: 'customerId', label: 'Customer ID', sortable: true },
  { key: 'tags', label: 'Tags', sortable: false },
  { key: 'createdAt', label: 'First seen', sortable: true },
  { key: 'lastSeenAt', label: 'Last seen', sortable: true },
  { key: 'timezone', label: 'Time zone', sortable: true },
];
export const DEFAULT_PREFS: TablePrefs = { columns: ['name', 'email', 'type', 'tags', 'lastSeenAt'], sort: { field: 'lastSeenAt', dir: 'desc' } };

/** A short, non-secret key for an identity (the token itself never goes into storage). */
export async function identityKey(identity: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(identity));
  return Array.from(new Uint8Array(digest).slice(0, 8), (b) => b.toString(16).padStart(2, '0')).join('');
}

const storageKey = (who: string) => `chative.crm-table.${who}`;

export function loadPrefs(who: string): TablePrefs {
  try {
    const raw = JSON.parse(localStorage.getItem(storageKey(who)) ?? 'null');
    if (raw && Array.isArray(raw.columns) && raw.columns.every((c: unknown) => typeof c === 'string') && raw.sort && typeof raw.sort.field === 'string' && (raw.sort.dir === 'asc' || raw.sort.dir === 'desc')) return raw;
  } catch (err) {
    console.warn('Chative console: ignoring unreadable table preferences', err);
  }
  return DEFAULT_PREFS;
}

export function savePrefs(who: string, prefs: TablePrefs) {
  try {
    localStorage.setItem(storageKey(who), JSON.stringify(prefs));
  } catch (err) {
    // private mode or a full quota: the table still works, it just forgets
    console.warn('Chative console: could not remember table preferences', err);
  }
}
