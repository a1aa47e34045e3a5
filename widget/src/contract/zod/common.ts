// Zod building blocks shared by the request schemas: bounded strings without NUL, IANA time zones, BCP-47 locales.
// This folder is the zod half of the contract: server and console import it; the widget must not (biome.json).
import { z } from 'zod';

/** A string of at most `max` characters with no NUL byte. */
export const boundedText = (max: number) =>
  z.string().max(max, `at most ${max} characters`).refine((s) => !s.includes('\u0000'), 'NUL characters are not allowed');

/** Optional, nullable detail: null or "" clears it. */
export const detail = (max: number) => boundedText(max).nullable().optional();

export const timezoneSchema = z
  .string()
  .max(64)
  .refine((tz) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: tz });
      return /^[A-Za-z0-9_+\-/]+$/.test(tz);
    } catch {
      return false;
    }
  }, 'not an IANA time zone');

export const localeSchema = z
  .string()
  .max(35)
  .refine((l) => {
    try {
      return Intl.getCanonicalLocales(l).length === 1;
    } catch {
      return false;
    }
  }, 'not a BCP-47 locale');

/** Custom values arrive as a plain object; keys and types are checked against the field definitions later. */
export const customSchema = z.record(z.string().max(64), z.unknown()).refine((o) => Object.keys(o).length <= 50, 'at most 50 custom fields');
