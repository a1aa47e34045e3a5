// What counts as visible text: a message or a name made only of spaces, zero-width or other format characters is empty.

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
