// Custom-field typing: a wrong type is refused with a message, never coerced (CONTRACT §1).
import { LIMITS } from './limits.js';

export const FIELD_TYPES = ['text', 'number', 'date', 'boolean'] as const;
export type FieldType = (typeof FIELD_TYPES)[number];
export type FieldValue = string | number | boolean;
export const FIELD_KEY_RE = /^[a-z][a-z0-9_]{0,63}$/;
/**
 * Keys a custom field may not take: the contact's own properties (in either spelling) and names every JS object
 * inherits — a field named like them once passed the form's required check without a value (issue 15).
 */
export const RESERVED_KEYS = new Set([
  'id', 'type', 'name', 'email', 'phone', 'timezone', 'locale', 'customer_id', 'customerid', 'verified', 'custom', 'tags', 'note',
  'created_at', 'createdat', 'last_seen_at', 'lastseenat', 'merged_into', 'mergedinto', 'possible_duplicate_of', 'possibleduplicateof',
  'site_id', 'siteid', 'constructor', 'prototype',
]);

/** A key derived from a field name: lowercased, runs of other characters turned into `_`. */
export function deriveFieldKey(name: string): string {
  let key = name.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '');
  if (!/^[a-z]/.test(key)) key = 'f_' + key;
  return key.slice(0, 64).replace(/_+$/, '');
}

/** A real calendar date written YYYY-MM-DD. */
export function isIsoDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(s + 'T00:00:00Z');
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

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
