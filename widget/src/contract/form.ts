// The pre-chat form's checks, built from the site's configured fields; errors come back per field
// (z.flattenError's shape) so each message lands under its own field, in the visitor's language.
import { isIsoDate, normalizeEmail } from './rules';
import type { FormField } from './schemas';

export type FormValues = Record<string, string | boolean>;
export type FormErrors = Record<string, string[] | undefined>;
export interface FormWords {
  required: (label: string) => string;
  email: string;
  number: string;
  date: string;
  emailOrPhone: string;
}

// Field keys come from the server: read and write own properties only, so a key like `toString`, `constructor`
// or `__proto__` is just a name, never something every object inherits (it once made the widget drop its form).
export const own = <T>(o: Record<string, T>, k: string): T | undefined => (Object.prototype.hasOwnProperty.call(o, k) ? o[k] : undefined);
const dict = <T>(): Record<string, T> => Object.create(null) as Record<string, T>;

function formatCheck(type: string, words: FormWords): [(v: string) => boolean, string] | null {
  // the server's own rules (contract/rules.ts), so the form never accepts what the server refuses
  if (type === 'email') return [(v) => normalizeEmail(v) !== null, words.email];
  // no 'tel' check: phones are read by the server's numbering plans (CONTRACT §1), which the widget cannot afford
  if (type === 'number') return [(v) => v.trim() !== '' && isFinite(Number(v)), words.number];
  if (type === 'date') return [isIsoDate, words.date];
  return null;
}

export type FormOutcome =
  | { ok: true; event: { name?: string; email?: string; phone?: string; custom?: Record<string, string | number | boolean> } }
  | { ok: false; fieldErrors: FormErrors; formErrors: string[] };

export type LeadFields = Extract<FormOutcome, { ok: true }>['event'];

/**
 * Check raw form values field by field (errors in z.flattenError's shape, { fieldErrors, formErrors }); on success,
 * the `lead` event's fields (empty ones left out). One pass: hand-written, zod/mini cost 4.8 KB gzip for this.
 */
export function validateForm(fields: FormField[], values: FormValues, words: FormWords, emailOrPhone = false): FormOutcome {
  const fieldErrors: FormErrors = dict();
  const add = (key: string, message: string) => { (fieldErrors[key] ||= []).push(message); };
  const event: LeadFields = {};
  const custom: Record<string, string | number | boolean> = dict();
  const reach: string[] = []; // the email and phone fields of this form
  let reached = false; // one of them is filled
  for (const f of fields) {
    const raw = own(values, f.key);
    const text = String(raw ?? '').trim();
    if (f.key === 'email' || f.key === 'phone') { reach.push(f.key); reached ||= typeof raw === 'string' && !!text; }
    if (f.type !== 'boolean') { // optional means optional: an unticked box is an answer
      const format = formatCheck(f.type, words);
      if (!text) { if (f.required) add(f.key, words.required(f.label)); }
      else if (format && !format[0](text)) add(f.key, format[1]);
    }
    if (raw === undefined || raw === false || (typeof raw === 'string' && !text)) continue; // untouched: nothing to say
    let value: string | number | boolean = typeof raw === 'string' ? text : raw;
    if (f.type === 'number') value = Number(value);
    if (f.custom) Object.defineProperty(custom, f.key, { value, enumerable: true, writable: true, configurable: true });
    else if (f.key === 'name' || f.key === 'email' || f.key === 'phone') event[f.key] = value as string;
  }
  if (emailOrPhone && !reached) reach.forEach((k) => fieldErrors[k] || add(k, words.emailOrPhone));
  if (Object.keys(fieldErrors).length) return { ok: false, fieldErrors, formErrors: [] };
  if (Object.keys(custom).length) event.custom = { ...custom };
  return { ok: true, event };
}
