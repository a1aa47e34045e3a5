// The contract's text rules (no zod, no I/O; server and console import them). What counts as visible text: a message or a name made only of spaces, zero-width or other format characters is empty.

// White space, controls, format characters (zero-width space/joiners, BOM, bidi marks) and the blank "letters"
// (Hangul fillers, braille blank, combining grapheme joiner) that render as nothing.
const INVISIBLE = /[\s\p{Cc}\p{Cf}\p{Zs}\p{Zl}\p{Zp}\u034f\u115f\u1160\u17b4\u17b5\u2800\u3164\uffa0]/gu;

/** True when nothing of the text would show on screen. */
export function isInvisible(text: string): boolean {
  return text.replace(INVISIBLE, '') === '';
}

/** Removes the format characters (zero-width joiners, bidi marks) that make look-alike names. */
export function stripFormatChars(text: string): string {
  return text.replace(/\p{Cf}/gu, '');
}

/** Why a customer id is unusable (blank, padded with spaces only, control characters), or null when it is fine. */
export function customerIdProblem(id: string): string | null {
  if (isInvisible(id)) return 'must not be blank (only spaces or invisible characters)';
  if (/[\u0000-\u001f\u007f]/.test(id)) return 'control characters are not allowed';
  return null;
}
