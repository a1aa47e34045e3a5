import type { CustomValue, FieldType } from '../api/schemas';

/**
 * Turns what an agent typed into the value to send. Text that does not look like the field's
 * type is sent as typed so the server refuses it with its own explanation (never coerced).
 */
export function toCustomValue(type: FieldType, raw: string): CustomValue {
  const t = raw.trim();
  if (t === '') return null;
  if (type === 'number') return /^-?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(t) ? Number(t) : raw;
  if (type === 'boolean') return t === 'true' ? true : t === 'false' ? false : raw;
  return type === 'text' ? raw : t;
}

/** The text an editor shows for a stored value. */
export function fromCustomValue(v: CustomValue | undefined): string {
  return v === null || v === undefined ? '' : String(v);
}

/** The key the server derives from a field name (CONTRACT §5), shown while typing. */
export function deriveKey(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '');
}
