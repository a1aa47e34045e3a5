// Custom-field typing: a wrong type is refused with a message, never coerced (CONTRACT §1).
import { LIMITS } from '../../../widget/src/contract/limits.js';
import { isIsoDate, type FieldType } from '../../../widget/src/contract/rules.js';

export { deriveFieldKey, FIELD_KEY_RE, FIELD_TYPES, isIsoDate, RESERVED_KEYS, type FieldType } from '../../../widget/src/contract/rules.js';
export type FieldValue = string | number | boolean;

export type Checked = { ok: true; stored: string } | { ok: false; message: string };

/** Checks a JSON value against a field type and gives its canonical stored text. */
export function checkFieldValue(type: FieldType, value: unknown): Checked {
  switch (type) {
    case 'text':
      if (typeof value !== 'string') return { ok: false, message: 'expected text' };
      if (value.length > LIMITS.customValueChars) return { ok: false, message: `at most ${LIMITS.customValueChars} characters` };
      if (value.includes('\u0000')) return { ok: false, message: 'NUL characters are not allowed' };
      return { ok: true, stored: value };
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) return { ok: false, message: 'expected a number' };
      if (Math.abs(value) > Number.MAX_SAFE_INTEGER) return { ok: false, message: 'number too large' };
      return { ok: true, stored: String(value) };
    case 'date':
      if (typeof value !== 'string' || !isIsoDate(value)) return { ok: false, message: 'expected a date YYYY-MM-DD' };
      return { ok: true, stored: value };
    case 'boolean':
      if (typeof value !== 'boolean') return { ok: false, message: 'expected true or false' };
      return { ok: true, stored: value ? 'true' : 'false' };
  }
}

/** The typed value of a stored text. */
export function decodeFieldValue(type: FieldType, stored: string): FieldValue {
  if (type === 'number') return Number(stored);
  if (type === 'boolean') return stored === 'true';
  return stored;
}

/** A filter value from a query string (`field.seats=12`) as canonical stored text, or null if it can't match the type. */
export function filterValue(type: FieldType, raw: string): string | null {
  if (type === 'number') {
    if (raw.trim() === '') return null;
    const n = Number(raw);
    return Number.isFinite(n) ? String(n) : null;
  }
  if (type === 'boolean') {
    const v = raw.toLowerCase();
    if (v === 'true' || v === 'yes' || v === '1') return 'true';
    if (v === 'false' || v === 'no' || v === '0') return 'false';
    return null;
  }
  if (type === 'date') return isIsoDate(raw) ? raw : null;
  return raw;
}
