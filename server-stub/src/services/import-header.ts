// An import's header row (CONTRACT §9): columns named like the export's; checked before the job starts (a 400 naming each).
import { BASIC_COLUMNS, unneutralise } from '../domain/csv.js';
import type { Issue } from '../http/http-error.js';

export const IMPORT_MATCHES = ['customerId', 'email', 'phone'] as const;
export type ImportMatch = (typeof IMPORT_MATCHES)[number];
/** Columns of the export an import reads past: the server makes them (a re-imported export round-trips). */
export const READ_ONLY_COLUMNS = new Set(['id', 'type', 'createdAt', 'lastSeenAt', 'locale']);
/** More than the basic columns plus the most custom fields a site may have (LIMITS.customFields = 50). */
export const MAX_COLUMNS = 100;

/** The header's column names (basic names case-insensitively, custom keys exactly) or every problem with it. */
export function checkHeader(raw: string[], customKeys: Set<string>, match: ImportMatch): { columns: string[] } | { issues: Issue[] } {
  if (raw.length > MAX_COLUMNS) return { issues: [{ path: ['header'], message: `${raw.length} columns; at most ${MAX_COLUMNS} (the basic fields, tags, note and one per custom field)` }] };
  const basic = new Map<string, string>(BASIC_COLUMNS.map((c) => [c.toLowerCase(), c]));
  const issues: Issue[] = [];
  const seen = new Map<string, number>();
  const columns = raw.map((cell, i) => {
    const name = unneutralise(cell.trim());
    // a column with an empty heading is skipped: the console's mapping step blanks the columns the owner leaves out
    if (name === '') return '';
    const col = basic.get(name.toLowerCase()) ?? (customKeys.has(name) ? name : null);
    const shown = name.slice(0, 64);
    if (col === null) {
      issues.push({ path: ['header', i], message: `column ${i + 1} "${shown}" is neither a contact field (${BASIC_COLUMNS.join(', ')}) nor a custom field key` });
      return '';
    }
    const before = seen.get(col);
    if (before !== undefined) issues.push({ path: ['header', i], message: `column ${i + 1} "${shown}" repeats column ${before + 1}` });
    seen.set(col, i);
    return col;
  });
  if (!issues.length && !seen.has(match)) issues.push({ path: ['match'], message: `the file has no "${match}" column to match contacts by` });
  return issues.length ? { issues } : { columns };
}
