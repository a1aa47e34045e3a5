// Pure contact rules: type climb, lead rule, field typing, email, phone, tags, merge.
import { describe, expect, it } from 'vitest';
import { CONTACT_TYPES, earnedType, higherType, meetsLeadRule, nextType, rankOf } from '../../../server-stub/src/domain/contact-type.js';
import { checkFieldValue, decodeFieldValue, deriveFieldKey, filterValue, isIsoDate } from '../../../server-stub/src/domain/custom-fields.js';
import { normalizeEmail } from '../../../server-stub/src/domain/email.js';
import { userHashFor, verifyUserHash } from '../../../server-stub/src/domain/identity.js';
import { joinNotes, mergeContacts, type MergeSide } from '../../../server-stub/src/domain/merge.js';
import { normalizePhone } from '../../../server-stub/src/domain/phone.js';
import { queryTerm, searchTerms } from '../../../server-stub/src/domain/search-terms.js';
import { normalizeTagName, tagKey, unionTags } from '../../../server-stub/src/domain/tags.js';

describe('contact type climb', () => {
  it('ranks guest < lead < customer', () => {
    expect(CONTACT_TYPES.map(rankOf)).toEqual([0, 1, 2]);
  });
  // every (current, earned) pair: the result is the higher one, never a downgrade
  for (const current of CONTACT_TYPES)
    for (const earned of CONTACT_TYPES)
      it(`${current} + earns ${earned} -> ${higherType(current, earned)}`, () => {
        const details = earned === 'customer' ? { customerId: 'c1' } : earned === 'lead' ? { name: 'Ada', email: 'a@b.co' } : {};
        const expected = rankOf(current) >= rankOf(earned) ? current : earned;
        expect(nextType(current, details)).toBe(expected);
        expect(rankOf(nextType(current, details))).toBeGreaterThanOrEqual(rankOf(current));
      });
  it('clearing the email keeps a lead a lead', () => {
    expect(nextType('lead', { name: 'Ada', email: null, phone: null })).toBe('lead');
  });
});

describe('lead rule', () => {
  const cases: [Record<string, string | null>, boolean][] = [
    [{ name: 'Ada', email: 'a@b.co' }, true],
    [{ name: 'Ada', phone: '+33612345678' }, true],
    [{ name: 'Ada', email: 'a@b.co', phone: '+33612345678' }, true],
    [{ name: 'Ada' }, false],
    [{ email: 'a@b.co' }, false],
    [{ email: 'a@b.co', phone: '+33612345678' }, false],
    [{ name: '', email: 'a@b.co' }, false],
    [{ name: 'Ada', email: '' }, false],
    [{}, false],
  ];
  for (const [d, ok] of cases) it(`${JSON.stringify(d)} -> ${ok}`, () => expect(meetsLeadRule(d)).toBe(ok));
  it('customerId earns customer', () => expect(earnedType({ customerId: 'x' })).toBe('customer'));
});

describe('custom-field typing', () => {
  const good: [Parameters<typeof checkFieldValue>[0], unknown, string][] = [
    ['text', 'pro', 'pro'], ['text', '', ''], ['text', 'x'.repeat(1500), 'x'.repeat(1500)],
    ['number', 12, '12'], ['number', -3.5, '-3.5'], ['number', 0, '0'], ['number', Number.MAX_SAFE_INTEGER, String(Number.MAX_SAFE_INTEGER)],
    ['date', '2024-02-29', '2024-02-29'], ['date', '1999-12-31', '1999-12-31'],
    ['boolean', true, 'true'], ['boolean', false, 'false'],
  ];
  for (const [type, v, stored] of good)
    it(`${type} accepts ${JSON.stringify(v).slice(0, 20)}`, () => {
      expect(checkFieldValue(type, v)).toEqual({ ok: true, stored });
      expect(decodeFieldValue(type, stored)).toEqual(v);
    });
  const bad: [Parameters<typeof checkFieldValue>[0], unknown][] = [
    ['text', 12], ['text', true], ['text', null], ['text', 'x'.repeat(1501)], ['text', 'a\u0000b'], ['text', ['a']],
    ['number', '12'], ['number', Infinity], ['number', NaN], ['number', 1e300], ['number', true], ['number', {}],
    ['date', '2023-02-29'], ['date', '2024-13-01'], ['date', '24-01-01'], ['date', '2024-01-01T00:00:00Z'], ['date', 20240101], ['date', ''],
    ['boolean', 'true'], ['boolean', 1], ['boolean', 'yes'], ['boolean', null],
  ];
  for (const [type, v] of bad)
    it(`${type} refuses ${String(JSON.stringify(v)).slice(0, 20)}`, () => {
      const r = checkFieldValue(type, v);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.message.length).toBeGreaterThan(3);
    });
  it('derives keys from names', () => {
    expect(deriveFieldKey('Plan')).toBe('plan');
    expect(deriveFieldKey('Seats (paid) #')).toBe('seats_paid');
    expect(deriveFieldKey('Société Générale')).toBe('societe_generale');
    expect(deriveFieldKey('2FA enabled')).toBe('f_2fa_enabled');
  });
  it('parses filter values by type', () => {
    expect(filterValue('number', '12.0')).toBe('12');
    expect(filterValue('number', 'abc')).toBeNull();
    expect(filterValue('boolean', 'Yes')).toBe('true');
    expect(filterValue('boolean', 'maybe')).toBeNull();
    expect(filterValue('date', '2024-02-30')).toBeNull();
    expect(isIsoDate('2024-02-28')).toBe(true);
  });
});

describe('email', () => {
  for (const ok of ['ada@example.com', ' Ada.Lovelace+tag@sub.example.co.uk ', "o'hara@x.io"]) it(`accepts ${ok}`, () => expect(normalizeEmail(ok)).toBe(ok.trim()));
  for (const bad of ['', 'ada', 'ada@', '@x.io', 'ada@x', 'a..b@x.io', '.a@x.io', 'a b@x.io', 'a@-x.io', `${'a'.repeat(65)}@x.io`, `a@${'b'.repeat(250)}.io`])
    it(`refuses ${bad.slice(0, 30)}`, () => expect(normalizeEmail(bad)).toBeNull());
});

describe('phone to E.164', () => {
  const cases: [string, string | null][] = [
    ['+33 6 12 34 56 78', '+33612345678'], ['0033 (6) 12-34-56-78', '+33612345678'], ['+1 (415) 555.0100', '+14155550100'],
    ['+44 20 7946 0958', '+442079460958'], ['06 12 34 56 78', null], ['+0123456789', null], ['+12', null], ['+1234567890123456', null], ['+33 6 12 ab', null], ['', null],
  ];
  for (const [input, out] of cases) it(`${input} -> ${out}`, () => expect(normalizePhone(input)).toBe(out));
});

describe('tags', () => {
  it('trims, collapses spaces, compares case-insensitively, keeps the first spelling', () => {
    expect(normalizeTagName('  VIP   client ')).toBe('VIP client');
    expect(tagKey('VIP')).toBe(tagKey('vip'));
    expect(unionTags(['VIP', 'b2b'], ['vip', 'Trial'])).toEqual(['VIP', 'b2b', 'Trial']);
  });
  it('refuses empty, too long and control characters', () => {
    expect(normalizeTagName('   ')).toBeNull();
    expect(normalizeTagName('x'.repeat(64))).toBe('x'.repeat(64));
    expect(normalizeTagName('x'.repeat(65))).toBeNull();
    expect(normalizeTagName('a\u0000b')).toBeNull();
  });
});

describe('identity hash', () => {
  const secret = 's3cret-s3cret-s3cret';
  const good = userHashFor(secret, 'cust-1');
  it('accepts only the exact lowercase hex HMAC', () => {
    expect(verifyUserHash(secret, 'cust-1', good)).toBe(true);
    for (const bad of [good.toUpperCase(), good.slice(1), good + '0', '', undefined, null, 42, 'z'.repeat(64), userHashFor(secret, 'cust-2'), userHashFor('other', 'cust-1'), { good }])
      expect(verifyUserHash(secret, 'cust-1', bad)).toBe(false);
  });
});

describe('mergeContacts', () => {
  const customer: MergeSide = { name: 'Ada L.', email: 'ada@corp.com', phone: null, timezone: null, locale: 'en', custom: { plan: 'pro', seats: 5 }, tags: ['VIP'], note: 'customer note' };
  const visitor: MergeSide = { name: 'Ada', email: 'ada@home.net', phone: '+33612345678', timezone: 'Europe/Paris', locale: 'fr', custom: { plan: 'free', source: 'ads' }, tags: ['vip', 'Trial'], note: 'visitor note' };
  it("keeps the customer's values, fills gaps from the visitor, unions tags, joins notes", () => {
    expect(mergeContacts(customer, visitor)).toEqual({
      name: 'Ada L.', email: 'ada@corp.com', phone: '+33612345678', timezone: 'Europe/Paris', locale: 'en',
      custom: { plan: 'pro', seats: 5, source: 'ads' }, tags: ['VIP', 'Trial'], note: 'customer note\n\nvisitor note', droppedTags: [],
    });
  });
  it('loses nothing: every tag, custom key and note text survives', () => {
    const m = mergeContacts(customer, visitor);
    for (const k of [...Object.keys(customer.custom), ...Object.keys(visitor.custom)]) expect(m.custom).toHaveProperty(k);
    for (const t of [...customer.tags, ...visitor.tags]) expect(m.tags.map(tagKey)).toContain(tagKey(t));
    expect(m.note).toContain(customer.note);
    expect(m.note).toContain(visitor.note);
  });
  it('joins notes without empty parts', () => {
    expect(joinNotes(null, 'v')).toBe('v');
    expect(joinNotes('c', '  ')).toBe('c');
    expect(joinNotes(null, null)).toBeNull();
  });
});

describe('search terms', () => {
  it('finds a contact by any word of its name or email, its phone and customer id', () => {
    const terms = searchTerms({ name: 'Ada  Lovelace-Byron', email: 'ada.king+chat@Example.com', phone: '+33612345678', customerId: 'CUST-9' });
    for (const q of ['ada', 'lovelace', 'byron', 'ada  lovelace', 'king', 'chat', 'example.com', 'ada.king+chat@example.com', '+336', '336', 'cust-9'])
      expect(terms.some((t) => t.startsWith(queryTerm(q))), q).toBe(true);
    expect(terms.some((t) => t.startsWith(queryTerm('velace')))).toBe(false);
  });
  it('normalises phone-looking queries', () => {
    expect(queryTerm(' +33 6 12-34 ')).toBe('+3361234');
    expect(queryTerm('Ada L.')).toBe('ada l.');
  });
  it('has no terms for an empty contact', () => expect(searchTerms({})).toEqual([]));
});
