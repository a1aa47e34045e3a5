// Phones to E.164 (CONTRACT §1) with Google's numbering plans; server only — the widget lets the server decide.
// The "max" metadata: "min" checks lengths only and would store numbers no country allots, e.g. +1 555 010 2233.
import { isSupportedCountry, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import { getTimezone } from 'countries-and-timezones';

/** Where a number typed without a country code is read: the visitor's time zone, else the site's default. */
export type PhoneContext = { timezone?: string | null; defaultCountry?: string | null };

export type PhoneResult = { ok: true; e164: string } | { ok: false; message: string };

// What people type around digits: spaces, dashes, dots, slashes, brackets (`(0)` included), a leading + or 00.
const TYPED = /^\s*\+?[\d\s\-.()/\u00a0]+$/;
const EXAMPLE = 'e.g. +44 20 7946 0958';

/** True for an ISO 3166 alpha-2 code that has a numbering plan (AQ and XX do not). */
export function isPhoneCountry(code: string): boolean {
  return /^[A-Z]{2}$/.test(code) && isSupportedCountry(code);
}

/**
 * Countries of an IANA zone, main one first, aliases (`Asia/Saigon`) followed; none for `UTC` or `Etc/*`.
 * From the tzdb's zone1970.tab/backward as packaged by countries-and-timezones.
 */
export function countriesOfTimezone(timezone: string | null | undefined): CountryCode[] {
  if (!timezone) return [];
  const zone = getTimezone(timezone);
  const countries: string[] = zone?.countries ?? [];
  return countries.filter((c): c is CountryCode => isSupportedCountry(c));
}

/** The E.164 form of what a person typed, or why it cannot be one. */
export function normalizePhone(input: string, where: PhoneContext = {}): PhoneResult {
  if (!TYPED.test(input)) return { ok: false, message: `only digits, spaces, dashes, dots, brackets and a leading + or 00, ${EXAMPLE}` };
  // 00 is the international prefix nearly everywhere; no national number starts with it
  const typed = input.trim().replace(/^00/, '+');
  if (typed.startsWith('+')) {
    const p = parsePhoneNumberFromString(typed);
    return p?.isValid() ? { ok: true, e164: p.number } : { ok: false, message: `not a phone number any country allots, ${EXAMPLE}` };
  }
  const zoneCountries = countriesOfTimezone(where.timezone);
  const countries = zoneCountries.length ? zoneCountries : where.defaultCountry && isPhoneCountry(where.defaultCountry) ? [where.defaultCountry as CountryCode] : [];
  if (!countries.length) return { ok: false, message: `include the country code, ${EXAMPLE}` };
  // a zone shared by countries (Europe/Zurich: CH, DE, LI) reads the number in the first whose plan allots it
  for (const country of countries) {
    const p = parsePhoneNumberFromString(typed, country);
    if (p?.isValid()) return { ok: true, e164: p.number };
  }
  return { ok: false, message: `not a phone number in ${countries[0]}: check the digits or include the country code, ${EXAMPLE}` };
}
