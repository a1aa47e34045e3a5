/// <reference types="vite/client" />
// Every file in this folder is a language, found at build time: adding one needs no other edit than
// its row of launcher words in widget/src/loader/words.ts. English is built in; the others are one
// chunk each, fetched only for a visitor who speaks it.
import { strings as en, type Strings } from './en';

const languages = import.meta.glob<{ lang: string; strings: Strings }>(['./*.ts', '!./index.ts', '!./en.ts']);

/** The strings of `lang` (as the loader picked it), English when we have no such file. */
export async function loadStrings(lang: string): Promise<Strings> {
  const file = languages['./' + lang + '.ts'];
  try {
    return file ? (await file()).strings : en;
  } catch {
    return en; // the language chunk did not load: English now beats no chat at all
  }
}

export type { Strings };
