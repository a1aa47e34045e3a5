/// <reference types="vite/client" />
// Every file in this folder is a language, found at build time: adding one needs no other edit (the server
// imports its launcher words in server-stub/src/http/launcher-words.ts; a test fails until it does). English is
// built in; the others are one chunk each, fetched only for a visitor who speaks it.
import { strings as en, type Strings } from './en';

/** A language: its window strings and its launcher/shell words (English's are the loader's own). */
export interface Language { lang: string; strings: Strings; launcher?: string }

const languages = import.meta.glob<Language>(['./*.ts', '!./index.ts', '!./en.ts']);

/** The first of the page's `lang` and the browser's languages that we have a file for; else English. */
export function pickLang(tags: readonly string[] = [document.documentElement.lang, ...navigator.languages]): string {
  for (const tag of tags) {
    const base = tag.toLowerCase().split('-')[0];
    if (base == 'en' || languages['./' + base + '.ts']) return base;
  }
  return 'en';
}

/** The language `lang`; English when we have no such file or it did not load. */
export async function loadStrings(lang: string): Promise<Language> {
  const file = languages['./' + lang + '.ts'];
  try {
    return file ? await file() : { lang: 'en', strings: en };
  } catch {
    return { lang: 'en', strings: en }; // the language chunk did not load: English now beats no chat at all
  }
}

export type { Strings };
