// The pre-chat form's checks, built from the site's configured fields; errors come back per field
// (z.flattenError's shape) so each message lands under its own field, in the visitor's language.
import { isIsoDate, normalizeEmail } from './rules';
import type { FormField } from './schemas';

export type FormValues = Record<string, string | boolean>;
export type FormErrors = Record<string, string[] | undefined>;
export interface FormWords {
  required: (label: string) => string;
  email: string;
  phone: string;
  number: string;
  date: string;
  emailOrPhone: string;
}

/** Digits with an optional leading +; people type spaces, dashes, dots and brackets. */
export function normalizePhone(raw: string): string | null {
  const trimmed = raw.trim();
  if (!/^\+?[\d\s().\-]+$/.test(trimmed)) return null;
  const digits = trimmed.replace(/\D/g, '');
  if (digits.length < 6 || digits.length > 15) return null;
  return (trimmed.startsWith('+') ? '+' : '') + digits;
}

function formatCheck(type: string, words: FormWords): [(v: string) => boolean, string] | null {
  // the server's own rules (contract/rules.ts), so the form never accepts what the server refuses
  if (type === 'email') return [(v) => normalizeEmail(v) !== null, words.email];
  if (type === 'tel') return [(v) => normalizePhone(v) !== null, words.phone];
  if (type === 'number') return [(v) => v.trim() !== '' && isFinite(Number(v)), words.number];
  if (type === 'date') return [isIsoDate, words.date];
  return null;
}

/**
 * Check each field; the result has z.flattenError's shape ({ fieldErrors, formErrors }).
 * Hand-written: zod/mini cost 4.8 KB gzip for this (a quarter of the widget budget).
 */
export function checkForm(fields: FormField[], values: FormValues, words: FormWords, emailOrPhone = false) {
  const fieldErrors: FormErrors = {};
  const add = (key: string, message: string) => { (fieldErrors[key] ||= []).push(message); };
  const filled = (k: string) => typeof values[k] === 'string' && (values[k] as string).trim() !== '';
  for (const field of fields) {
    if (field.type === 'boolean') continue; // optional means optional: an unticked box is an answer
    const value = String(values[field.key] ?? '').trim();
    const format = formatCheck(field.type, words);
    if (!value) { if (field.required) add(field.key, words.required(field.label)); }
    else if (format && !format[0](value)) add(field.key, format[1]);
  }
  const present = fields.filter((f) => f.key === 'email' || f.key === 'phone').map((f) => f.key);
  if (emailOrPhone && present.length && !present.some(filled)) present.forEach((k) => fieldErrors[k] || add(k, words.emailOrPhone));
  return { fieldErrors, formErrors: [] as string[] };
}

export type FormOutcome =
  | { ok: true; event: { name?: string; email?: string; phone?: string; custom?: Record<string, string | number | boolean> } }
  | { ok: false; fieldErrors: FormErrors; formErrors: string[] };

export type LeadFields = Extract<FormOutcome, { ok: true }>['event'];

/** Validate raw form values; on success, the `lead` event's fields (empty ones left out). */
export function validateForm(fields: FormField[], values: FormValues, words: FormWords, emailOrPhone = false): FormOutcome {
  const input: FormValues = {};
  for (const f of fields) input[f.key] = values[f.key] ?? (f.type === 'boolean' ? false : '');
  const flat = checkForm(fields, input, words, emailOrPhone);
  if (Object.keys(flat.fieldErrors).length) return { ok: false, ...flat };
  const event: Extract<FormOutcome, { ok: true }>['event'] = {};
  const custom: Record<string, string | number | boolean> = {};
  for (const f of fields) {
    const raw = input[f.key];
    if (raw === false || (typeof raw === 'string' && raw.trim() === '')) continue; // untouched: nothing to say
    let value: string | number | boolean = typeof raw === 'string' ? raw.trim() : raw;
    if (f.type === 'tel') value = normalizePhone(value as string)!;
    if (f.type === 'number') value = Number(value);
    if (f.custom) custom[f.key] = value;
    else if (f.key === 'name' || f.key === 'email' || f.key === 'phone') event[f.key] = value as string;
  }
  if (Object.keys(custom).length) event.custom = custom;
  return { ok: true, event };
}
