// The merge plan (domain/merge.ts) is the running rule: the service applies it as it is. fast-check prints a failing seed.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FIELD_TYPES, checkFieldValue, type FieldType, type FieldValue } from '../../../server-stub/src/domain/custom-fields.js';
import { joinNotes, planMerge, type MergeSide, type OtherDetail } from '../../../server-stub/src/domain/merge.js';
import { tagKey } from '../../../server-stub/src/domain/tags.js';

const fold = (s: string) => s.trim().replace(/\s+/g, ' ').toLowerCase();
const same = (field: string, a: string, b: string) => (field === 'name' || field === 'email' ? fold(a) === fold(b) : a === b);

const side = (p: Partial<MergeSide> & { id: string }): MergeSide => ({
  name: null, email: null, phone: null, timezone: null, locale: null, custom: {}, tags: [], note: null, otherDetails: [], ...p,
});

describe('planMerge by example', () => {
  const customer = side({ id: 'cust', name: 'Ada L.', email: 'ada@corp.com', locale: 'en', custom: { plan: 'pro', seats: 5 }, tags: ['VIP'], note: 'customer note' });
  const visitor = side({ id: 'vis', name: 'Ada', email: 'ada@home.net', phone: '+33612345678', timezone: 'Europe/Paris', locale: 'fr', custom: { plan: 'free', source: 'ads', gone: 'x' }, tags: ['vip', 'Trial'], note: 'visitor note' });
  const types: Record<string, FieldType> = { plan: 'text', seats: 'number', source: 'text' };

  it("keeps the customer's values, fills gaps from the visitor, and keeps the losing values as other details", () => {
    expect(planMerge(customer, visitor, types)).toEqual({
      survivor: {
        name: 'Ada L.', email: 'ada@corp.com', phone: '+33612345678', timezone: 'Europe/Paris', locale: 'en', note: 'customer note\n\nvisitor note',
        otherDetails: [
          { field: 'name', value: 'Ada', from: 'vis' },
          { field: 'email', value: 'ada@home.net', from: 'vis' },
          { field: 'custom.plan', value: 'free', from: 'vis' },
        ],
      },
      customFill: { source: 'ads' },
      attachTags: ['Trial'],
      droppedTags: [],
      tombstone: { id: 'vis', mergedInto: 'cust', clearValues: ['plan', 'source', 'gone'], detachTags: ['vip', 'Trial'] },
    });
  });

  it('never exceeds the per-contact tag limit: the customer\'s tags first, the rest named in the note', () => {
    const many = Array.from({ length: 100 }, (_, i) => `c${i}`);
    const p = planMerge(side({ id: 'c', tags: many.slice(0, 98), note: 'n' }), side({ id: 'v', tags: ['C1', 'x1', 'x2', 'x3', 'x4'] }), {});
    expect(p.attachTags).toEqual(['x1', 'x2']);
    expect(p.droppedTags).toEqual(['x3', 'x4']);
    expect(p.survivor.note).toBe('n\n\nTags dropped at merge (at most 100 per contact): x3, x4');
  });

  it('a second spelling of the same name or email is no conflict; a phone is compared exactly', () => {
    const p = planMerge(side({ id: 'c', name: 'Ada  Lovelace', email: 'Ada@Corp.com', phone: '+33612345678' }), side({ id: 'v', name: 'ada lovelace', email: 'ada@corp.COM', phone: '+33612345679' }), {});
    expect(p.survivor.otherDetails).toEqual([{ field: 'phone', value: '+33612345679', from: 'v' }]);
  });

  it("carries the visitor's own other details and never lists one twice", () => {
    const earlier: OtherDetail = { field: 'email', value: 'old@x.io', from: 'older' };
    const p = planMerge(side({ id: 'c', email: 'a@x.io', otherDetails: [earlier] }), side({ id: 'v', email: 'OLD@x.io', otherDetails: [{ field: 'name', value: 'Bo', from: 'oldest' }] }), {});
    expect(p.survivor.otherDetails).toEqual([earlier, { field: 'name', value: 'Bo', from: 'oldest' }]);
  });

  it('joins notes without empty parts', () => {
    expect(joinNotes(null, 'v')).toBe('v');
    expect(joinNotes('c', '  ')).toBe('c');
    expect(joinNotes(null, null)).toBeNull();
  });
});

// ---- properties over random pairs -------------------------------------------------------------
const KEYS = ['plan', 'seats', 'since', 'vip', 'gone'] as const;
const typesArb = fc.record(Object.fromEntries(KEYS.map((k) => [k, fc.option(fc.constantFrom(...FIELD_TYPES), { nil: undefined })])) as Record<string, fc.Arbitrary<FieldType | undefined>>)
  .map((t) => Object.fromEntries(Object.entries(t).filter(([, v]) => v !== undefined)) as Record<string, FieldType>);
const valueArb: fc.Arbitrary<FieldValue> = fc.oneof(fc.constantFrom('pro', 'free', 'Pro', '2024-02-29', ''), fc.integer({ min: -5, max: 5 }), fc.boolean());
const textArb = (pool: string[]) => fc.option(fc.constantFrom(...pool), { nil: null });
const names = ['Ada', 'ada', 'Ada  L.', 'Bo', 'Cy'];
const emails = ['a@x.io', 'A@X.io', 'b@y.org', 'c@z.net'];
const phones = ['+33612345678', '+442079460958', '+84912345678'];
const tagNames = ['VIP', 'vip', 'Trial', 'b2b', 'B2B', 'late'];
const detailArb = fc.record({ field: fc.constantFrom('name', 'email', 'phone', 'custom.plan', 'custom.gone'), value: fc.constantFrom(...names, ...emails, ...phones, 'pro'), from: fc.constantFrom('old1', 'old2') });
const sideArb = (id: string) =>
  fc.record({
    id: fc.constant(id),
    name: textArb(names), email: textArb(emails), phone: textArb(phones),
    timezone: textArb(['Europe/Paris', 'Asia/Saigon']), locale: textArb(['en', 'fr']),
    custom: fc.dictionary(fc.constantFrom(...KEYS), valueArb, { maxKeys: 5 }),
    tags: fc.uniqueArray(fc.constantFrom(...tagNames), { selector: tagKey, maxLength: 4 }),
    note: textArb(['n1', 'n2', '  ']),
    otherDetails: fc.array(detailArb, { maxLength: 3 }),
  });

const RUNS = { numRuns: 2000 };
const prop = (name: string, check: (c: MergeSide, v: MergeSide, types: Record<string, FieldType>) => void) =>
  it(name, () => fc.assert(fc.property(sideArb('cust'), sideArb('vis'), typesArb, check), RUNS));

describe('planMerge properties', () => {
  prop("the customer's name, email, phone, time zone and locale win; the visitor's fill gaps", (c, v, t) => {
    const s = planMerge(c, v, t).survivor;
    for (const f of ['name', 'email', 'phone', 'timezone', 'locale'] as const) expect(s[f]).toBe(c[f] ?? v[f]);
    expect(s.note).toBe(joinNotes(c.note, v.note));
  });

  prop('no name, email or phone of either is lost: it is the survivor’s or listed in other details', (c, v, t) => {
    const s = planMerge(c, v, t).survivor;
    for (const f of ['name', 'email', 'phone'] as const)
      for (const value of [c[f], v[f]]) {
        if (value === null) continue;
        const kept = (s[f] !== null && same(f, s[f]!, value)) || s.otherDetails.some((d) => d.field === f && same(f, d.value, value));
        expect(kept, `${f} ${value}`).toBe(true);
      }
  });

  prop("every custom value of a field that still exists survives: the customer's, a fill, or an other detail", (c, v, t) => {
    const p = planMerge(c, v, t);
    for (const [key, value] of Object.entries(v.custom)) {
      if (!t[key]) {
        expect(p.customFill).not.toHaveProperty(key);
        continue;
      }
      const checked = checkFieldValue(t[key], value);
      const text = checked.ok ? checked.stored : String(value);
      const kept = p.customFill[key] === text || (key in c.custom && String(c.custom[key]) === text) || p.survivor.otherDetails.some((d) => d.field === `custom.${key}` && d.value === text);
      expect(kept, `${key}=${text}`).toBe(true);
    }
  });

  prop('fills only keys the customer lacks, with values valid for the field', (c, v, t) => {
    for (const [key, stored] of Object.entries(planMerge(c, v, t).customFill)) {
      expect(key in c.custom).toBe(false);
      expect(checkFieldValue(t[key], v.custom[key])).toEqual({ ok: true, stored });
    }
  });

  prop("keeps the customer's other details first and in order, lists nothing twice, and nothing equal to the survivor's value", (c, v, t) => {
    const s = planMerge(c, v, t).survivor;
    // the customer's list is a prefix, untouched (it may itself hold repeats from before)
    expect(s.otherDetails.slice(0, c.otherDetails.length)).toEqual(c.otherDetails);
    const added = s.otherDetails.slice(c.otherDetails.length);
    for (const [i, d] of added.entries()) {
      expect(s.otherDetails.slice(0, c.otherDetails.length + i).some((o) => o.field === d.field && same(d.field, o.value, d.value))).toBe(false);
      if (d.field === 'name' || d.field === 'email' || d.field === 'phone') expect(s[d.field] !== null && same(d.field, s[d.field]!, d.value)).toBe(false);
    }
    for (const d of v.otherDetails) {
      const f = d.field;
      const current = f === 'name' || f === 'email' || f === 'phone' ? s[f] : null;
      const kept = (current !== null && same(f, current, d.value)) || s.otherDetails.some((o) => o.field === f && same(f, o.value, d.value));
      if (!f.startsWith('custom.')) expect(kept, `${f} ${d.value}`).toBe(true);
    }
  });

  prop('tags: the union by key, attaching only what the customer lacks', (c, v, t) => {
    const p = planMerge(c, v, t);
    const cKeys = c.tags.map(tagKey);
    for (const name of p.attachTags) expect(cKeys).not.toContain(tagKey(name));
    expect(new Set([...cKeys, ...p.attachTags.map(tagKey)])).toEqual(new Set([...cKeys, ...v.tags.map(tagKey)]));
  });

  prop('the tombstone points at the customer and keeps no values or tags', (c, v, t) => {
    const { tombstone } = planMerge(c, v, t);
    expect(tombstone).toEqual({ id: 'vis', mergedInto: 'cust', clearValues: Object.keys(v.custom), detachTags: v.tags });
  });

  prop('merging a copy of the customer changes nothing but the note', (c, _v, t) => {
    const p = planMerge(c, { ...c, id: 'vis' }, t);
    expect(p.customFill).toEqual({});
    expect(p.attachTags).toEqual([]);
    expect(p.survivor.otherDetails.slice(c.otherDetails.length)).toEqual([]);
    expect(p.survivor).toMatchObject({ name: c.name, email: c.email, phone: c.phone, timezone: c.timezone, locale: c.locale });
  });

  prop('does not change its inputs', (c, v, t) => {
    const before = JSON.stringify([c, v, t]);
    planMerge(c, v, t);
    expect(JSON.stringify([c, v, t])).toBe(before);
  });
});
