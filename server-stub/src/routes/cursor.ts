// Opaque list cursors: base64url of the last row's sort key; anything else is a 400.
import { HttpError } from '../http/http-error.js';

export function encodeCursor(key: [string, string]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

export function decodeCursor(raw: string | undefined): [string, string] | undefined {
  if (raw === undefined || raw === '') return undefined;
  const bad = new HttpError(400, 'validation_failed', 'cursor: not a cursor from this API', [{ path: ['cursor'], message: 'invalid cursor' }]);
  if (raw.length > 300 || !/^[A-Za-z0-9_-]+$/.test(raw)) throw bad;
  try {
    const v = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
    if (Array.isArray(v) && v.length === 2 && typeof v[0] === 'string' && typeof v[1] === 'string') return [v[0], v[1]];
  } catch {
    throw bad;
  }
  throw bad;
}

/** History pages stop at this many bytes of message text too (limit=200 × 10,000-character messages would be ~6 MB a request). */
export const PAGE_TEXT_BYTES = 512 * 1024;

/**
 * The first `limit` of `rows` (fetched with limit + 1), cut earlier once their text passes PAGE_TEXT_BYTES (never below one);
 * `more` says whether rows remain after the page, so nextCursor stays honest.
 */
export function boundedPage<T extends { text: string }>(rows: T[], limit: number): { page: T[]; more: boolean } {
  let bytes = 0;
  let n = 0;
  while (n < rows.length && n < limit && (n === 0 || bytes < PAGE_TEXT_BYTES)) bytes += Buffer.byteLength(rows[n++].text);
  return { page: rows.slice(0, n), more: rows.length > n };
}
