// CSV cells both ways (RFC 4180): quoting, spreadsheet-formula neutralising on export and its reverse on import.
import type { FieldType, FieldValue } from './custom-fields.js';

/** Spreadsheets run a cell that starts with one of these as a formula (OWASP "CSV injection"). */
const FORMULA_START = /^[=+\-@\t\r]/;

/** A value as one RFC 4180 field: a formula-looking start gets a `'` first, then quoted when it holds `"`, `,` or a line break. */
export function csvCell(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '';
  let s = String(value);
  if (FORMULA_START.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** One CSV line (CRLF-terminated, as RFC 4180 says). */
export function csvLine(cells: (string | number | boolean | null | undefined)[]): string {
  return cells.map(csvCell).join(',') + '\r\n';
}

/** Undoes csvCell's neutralising on import: `'=x` read back is `=x` (a value of ours exported and re-imported round-trips). */
export function unneutralise(cell: string): string {
  return cell.length > 1 && cell[0] === "'" && FORMULA_START.test(cell.slice(1)) ? cell.slice(1) : cell;
}

/** A CSV cell read as a custom field's JSON value, for the same check every other write goes through; undefined = cannot be that type. */
export function cellValue(type: FieldType, cell: string): FieldValue | undefined {
  if (type === 'text' || type === 'date') return cell;
  if (type === 'number') {
    const n = cell.trim() === '' ? NaN : Number(cell.trim());
    return Number.isFinite(n) ? n : undefined;
  }
  const v = cell.trim().toLowerCase();
  if (v === 'true' || v === 'yes' || v === '1') return true;
  if (v === 'false' || v === 'no' || v === '0') return false;
  return undefined;
}

/** The basic columns of an export (and of an import header), in order; then `tags`, `note`, then one column per custom field key. */
export const BASIC_COLUMNS = ['id', 'type', 'name', 'email', 'phone', 'customerId', 'timezone', 'locale', 'createdAt', 'lastSeenAt', 'tags', 'note'] as const;
export type BasicColumn = (typeof BASIC_COLUMNS)[number];
