// The launcher's and the window shell's words of every language the widget speaks, taken from the widget's own
// language files (one source): widget.js is served with the visitor's baked in, so the loader ships English only.
// A language file added to widget/src/app/i18n/ must be listed here (tests/server/widget-js.test.ts fails until it is).
import * as de from '../../../widget/src/app/i18n/de.js';
import * as en from '../../../widget/src/app/i18n/en.js';
import * as es from '../../../widget/src/app/i18n/es.js';
import * as fr from '../../../widget/src/app/i18n/fr.js';
import * as pt from '../../../widget/src/app/i18n/pt.js';
import * as vi from '../../../widget/src/app/i18n/vi.js';

/** lang → "open|close|loading|failed[|title]" (the format of loader/words.ts, without the language). */
export const LAUNCHER_WORDS: Readonly<Record<string, string>> = Object.fromEntries([de, en, es, fr, pt, vi].map((f) => [f.lang, f.launcher]));

/** The language of an Accept-Language header we speak, by q then order (RFC 9110 §12.5.4); English for none,
 *  `*`, or garbage: an entry whose q is not a number in (0, 1] is skipped, never an error. */
export function visitorLang(header: string | undefined): string {
  let best = 'en';
  let bestQ = 0;
  for (const entry of (header ?? '').split(',')) {
    const [tag, ...params] = entry.split(';');
    const base = tag.trim().toLowerCase().split('-')[0];
    const qParam = params.find((p) => /^\s*q\s*=/i.test(p));
    const q = qParam === undefined ? 1 : Number(qParam.split('=')[1].trim() || NaN);
    // only a key of the table is ever returned: no text of the header reaches the script
    if (q > bestQ && q <= 1 && Object.hasOwn(LAUNCHER_WORDS, base)) [best, bestQ] = [base, q];
  }
  return best;
}

/** The words to bake for `lang` ("lang|open|…"), or undefined for English: the loader is built with those. */
export const bakedWords = (lang: string): string | undefined => (lang === 'en' ? undefined : lang + '|' + LAUNCHER_WORDS[lang]);
