// Phones to E.164 (CONTRACT §1): what people type, read in the country of their time zone, else the site's default.
import { describe, expect, it } from 'vitest';
import { countriesOfTimezone, isPhoneCountry, normalizePhone, type PhoneContext } from '../../../server-stub/src/domain/phone.js';

// [typed, where, stored] — null: refused
const cases: [string, PhoneContext, string | null][] = [
  // international forms, wherever the visitor is
  ['+44 (0)20 7946 0958', {}, '+442079460958'],
  ['+4402079460958', {}, '+442079460958'],
  ['0044 20 7946 0958', { timezone: 'America/New_York' }, '+442079460958'],
  ['00 84 912 345 678', {}, '+84912345678'],
  ['0033 (6) 12-34-56-78', {}, '+33612345678'],
  ['+33 6 12 34 56 78', { timezone: 'Asia/Tokyo' }, '+33612345678'],
  ['+1 (415) 555.2671', {}, '+14155552671'],
  ['+84 90.123.4567', {}, '+84901234567'],
  ['\u00a0+49 30 901820\u00a0', {}, '+4930901820'],
  // local forms read in the time zone's country (aliases included), trunk prefix dropped
  ['0912 345 678', { timezone: 'Asia/Ho_Chi_Minh' }, '+84912345678'],
  ['0912 345 678', { timezone: 'Asia/Saigon' }, '+84912345678'],
  ['(028) 3823-4567', { timezone: 'Asia/Saigon' }, '+842838234567'],
  ['020 7946 0958', { timezone: 'Europe/London' }, '+442079460958'],
  ['06 12 34 56 78', { timezone: 'Europe/Paris' }, '+33612345678'],
  ['(202) 456-1111', { timezone: 'America/Los_Angeles' }, '+12024561111'],
  ['030 901820', { timezone: 'Europe/Berlin' }, '+4930901820'],
  ['98765 43210', { timezone: 'Asia/Calcutta' }, '+919876543210'],
  ['044 668 18 00', { timezone: 'Europe/Zurich' }, '+41446681800'],
  // the time zone wins over the site's default; the default serves zones without a country
  ['020 7946 0958', { timezone: 'Europe/London', defaultCountry: 'VN' }, '+442079460958'],
  ['0912 345 678', { timezone: 'UTC', defaultCountry: 'VN' }, '+84912345678'],
  ['0912 345 678', { timezone: null, defaultCountry: 'VN' }, '+84912345678'],
  ['06 12 34 56 78', { timezone: 'Etc/GMT-1', defaultCountry: 'FR' }, '+33612345678'],
  // refused: no country code and no country known; numbers no country allots; not a phone
  ['0912 345 678', {}, null],
  ['0912 345 678', { timezone: 'UTC' }, null],
  ['0912 345 678', { timezone: 'Not/AZone' }, null],
  ['(555) 010-2233', { timezone: 'America/New_York' }, null],
  ['+1 555 010 2233', {}, null],
  ['+999 123456', {}, null],
  ['+0123456789', {}, null],
  ['+12', {}, null],
  ['+1234567890123456', {}, null],
  ['12345', { timezone: 'Asia/Ho_Chi_Minh' }, null],
  ['+33 6 12 ab', {}, null],
  ['tel:+442079460958', {}, null],
  ['+44 20 7946 0958 ext 12', {}, null],
  ['', { timezone: 'Europe/London' }, null],
  ['+', {}, null],
];

describe('phone to E.164', () => {
  for (const [typed, where, stored] of cases)
    it(`${JSON.stringify(typed)} ${JSON.stringify(where)} -> ${stored}`, () => {
      const r = normalizePhone(typed, where);
      if (stored === null) {
        expect(r.ok).toBe(false);
        if (!r.ok) expect(r.message).toMatch(/country code|allots|digits/);
      } else expect(r).toEqual({ ok: true, e164: stored });
    });

  it('asks for the country code when it cannot know the country', () => {
    const r = normalizePhone('0912 345 678', {});
    expect(r.ok === false && r.message).toMatch(/^include the country code/);
  });

  it('names the country it tried when the digits are not a number there', () => {
    const r = normalizePhone('(555) 010-2233', { timezone: 'America/New_York' });
    expect(r.ok === false && r.message).toMatch(/^not a phone number in US/);
  });

  it('is idempotent: a stored number normalises to itself in any zone', () => {
    for (const [typed, where, stored] of cases) {
      if (!stored) continue;
      expect(normalizePhone(stored, { timezone: 'Asia/Tokyo' })).toEqual({ ok: true, e164: stored });
      expect(normalizePhone(typed, where)).toEqual(normalizePhone(typed, where));
    }
  });
});

describe('time zone to country', () => {
  it('reads canonical zones, aliases and shared zones main country first', () => {
    expect(countriesOfTimezone('Asia/Ho_Chi_Minh')).toEqual(['VN']);
    expect(countriesOfTimezone('Asia/Saigon')).toEqual(['VN']);
    expect(countriesOfTimezone('Europe/Kiev')).toEqual(['UA']);
    expect(countriesOfTimezone('Europe/London')[0]).toBe('GB');
    expect(countriesOfTimezone('Europe/Zurich')[0]).toBe('CH');
  });
  it('knows no country for UTC, Etc zones, unknown names and nothing', () => {
    for (const tz of ['UTC', 'Etc/UTC', 'Etc/GMT+3', 'Mars/Olympus', '', null, undefined]) expect(countriesOfTimezone(tz)).toEqual([]);
  });
  it('accepts only ISO codes with a numbering plan as a default country', () => {
    for (const ok of ['GB', 'VN', 'US', 'DE']) expect(isPhoneCountry(ok)).toBe(true);
    for (const bad of ['gb', 'XX', 'AQ', 'GBR', '', 'G']) expect(isPhoneCountry(bad)).toBe(false);
  });
});
