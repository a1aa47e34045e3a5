import type { CustomValue, FieldType } from '../api/schemas';

/**
 * Turns what an agent typed into the value to send. Text that is not a value of the field's type —
 * `abc`, or `1e400`, which is no finite number and would travel as JSON null, erasing the stored value —
 * is sent as typed, so the server refuses it with its own explanation (never coerced, never null).
 */
export function toCustomValue(type: FieldType, raw: string): CustomValue {
  const t = raw.trim();
  if (t === '') return null;
  if (type === 'number') {
    const n = Number(t);
    return /^-?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(t) && Number.isFinite(n) ? n : raw;
  }
  if (type === 'boolean') return t === 'true' ? true : t === 'false' ? false : raw;
  return type === 'text' ? raw : t;
}

/** The text an editor shows for a stored value. */
export function fromCustomValue(v: CustomValue | undefined): string {
  return v === null || v === undefined ? '' : String(v);
}
