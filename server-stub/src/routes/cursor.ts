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
