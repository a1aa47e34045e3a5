/// <reference types="vite/client" />
// Every file in this folder is a language, found at build time: adding one needs no other edit.
import { strings as en, type Strings } from './en';

const languages = import.meta.glob<{ lang: string; strings: Strings }>('./*.ts', { eager: true });

/** Strings for the first of `preferred` (page lang, browser languages) that we speak; else English. */
export function pickStrings(preferred: (string | undefined | null)[]): { lang: string; strings: Strings } {
  const known = Object.values(languages).filter((m) => m.lang);
  for (const tag of preferred) {
    const base = (tag || '').toLowerCase().split('-')[0];
    const hit = known.find((m) => m.lang === base);
    if (hit) return hit;
  }
  return { lang: 'en', strings: en };
}

export type { Strings };
