// Tag names are trimmed and compared case-insensitively; the first spelling is kept for display.
import { LIMITS } from '../../../widget/src/contract/limits.js';
import { isInvisible, stripFormatChars } from './text.js';

/**
 * Why a tag name is unusable, or null. Look-alikes are normalised first (NFKC folds full-width `ＶＩＰ` to `VIP`;
 * zero-width joiners and other format characters are dropped); what NFKC cannot fold — Latin mixed with Cyrillic
 * or Greek letters, as in a Cyrillic `І` inside `VІP` — is refused rather than kept as a second, look-alike tag.
 */
export function tagNameProblem(input: string): string | null {
  const name = fold(input);
  if (name.length === 0 || isInvisible(name)) return 'must not be empty';
  if (name.length > LIMITS.tagChars) return `at most ${LIMITS.tagChars} characters`;
  if (/[\u0000-\u001f\u007f]/.test(name)) return 'control characters are not allowed';
  const latin = /\p{Script=Latin}/u.test(name);
  if (latin && (/\p{Script=Cyrillic}/u.test(name) || /\p{Script=Greek}/u.test(name))) return 'mixes Latin with Cyrillic or Greek letters (look-alike characters)';
  return null;
}

const fold = (input: string) => stripFormatChars(input.normalize('NFKC')).trim().replace(/\s+/g, ' ');

/** The display form of a tag name (look-alikes folded, trimmed, inner whitespace collapsed) or null when unusable. */
export function normalizeTagName(input: string): string | null {
  return tagNameProblem(input) === null ? fold(input) : null;
}

/** The comparison key: `VIP` and `vip` are one tag. */
export function tagKey(name: string): string {
  return name.toLowerCase();
}

/** Union of two tag lists by key, first spelling wins, order kept. */
export function unionTags(a: readonly string[], b: readonly string[]): string[] {
  const seen = new Map<string, string>();
  for (const t of [...a, ...b]) if (!seen.has(tagKey(t))) seen.set(tagKey(t), t);
  return [...seen.values()];
}
