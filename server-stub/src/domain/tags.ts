// Tag names are trimmed and compared case-insensitively; the first spelling is kept for display.
import { LIMITS } from '../../../widget/src/contract/limits.js';

/** The display form of a tag name (trimmed, inner whitespace collapsed) or null when unusable. */
export function normalizeTagName(input: string): string | null {
  const name = input.normalize('NFC').trim().replace(/\s+/g, ' ');
  if (name.length === 0 || name.length > LIMITS.tagChars) return null;
  if (/[\u0000-\u001f\u007f]/.test(name)) return null;
  return name;
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
