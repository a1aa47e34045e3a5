// The contacts filters' address form: every filter survives the round trip, junk in the address is dropped.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { filtersFromHash, hashOfFilters, NO_FILTERS, type ListFilters } from '../../../demo-site/console/src/lib/filter-url';
import { parseRoute } from '../../../demo-site/console/src/lib/hash-route';

describe('contacts filters in the address', () => {
  it('round-trips type, several tags, search and a field value, including characters that need escaping', () => {
    const f: ListFilters = { type: 'lead', tags: ['vip', 'a&b=c', 'größe #1'], q: 'anna berg+1', fieldKey: 'plan', fieldValue: 'pro & more' };
    const hash = hashOfFilters(f);
    expect(parseRoute(hash)).toEqual({ name: 'contacts' });
    expect(filtersFromHash(hash)).toEqual(f);
  });

  it('no filter is the bare screen address', () => {
    expect(hashOfFilters(NO_FILTERS)).toBe('#/contacts');
    expect(filtersFromHash('#/contacts')).toEqual(NO_FILTERS);
  });

  it('drops an unknown type, blank and repeated tags, and a field without a value', () => {
    expect(filtersFromHash('#/contacts?type=admin&tag=&tag=vip&tag=vip&tag=%20&field=plan&x=1')).toEqual({ ...NO_FILTERS, tags: ['vip'] });
  });

  it('any filters survive hashOfFilters → filtersFromHash (property)', () => {
    const text = fc.string({ minLength: 1, maxLength: 12 }).map((s) => s.trim()).filter(Boolean);
    fc.assert(fc.property(
      fc.constantFrom('', 'guest', 'lead', 'customer'), fc.uniqueArray(text, { maxLength: 4 }), fc.option(text, { nil: '' }), fc.option(fc.tuple(text, text), { nil: null }),
      (type, tags, q, field) => {
        const f: ListFilters = { type, tags, q, fieldKey: field?.[0] ?? '', fieldValue: field?.[1] ?? '' };
        expect(filtersFromHash(hashOfFilters(f))).toEqual(f);
      },
    ), { numRuns: 500 });
  });
});
