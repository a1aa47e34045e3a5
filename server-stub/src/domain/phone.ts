// People type spaces, dashes, dots, brackets and 00 prefixes; we store E.164 (+ and 8-15 digits).
const SEPARATORS = /[\s\-.()/\u00a0]/g;

/** Returns the E.164 form, or null when there is no country code or the digits don't fit E.164. */
export function normalizePhone(input: string): string | null {
  let s = input.trim().replace(SEPARATORS, '');
  if (s.startsWith('00')) s = '+' + s.slice(2);
  if (!/^\+[1-9]\d{6,14}$/.test(s)) return null;
  return s;
}
