// Issue 13's console pieces that need no browser: the new routes and the wizard's header reader.
import { describe, expect, it } from 'vitest';
import { parseRoute } from '../../../demo-site/console/src/lib/hash-route';
import { csvLine, readHeader } from '../../../demo-site/console/src/lib/csv-head';

describe('issue 13 console', () => {
  it('routes the merge screen, the import wizard and the retention setting', () => {
    expect(parseRoute('#/contacts/ct_a/merge/ct_b')).toEqual({ name: 'merge', id: 'ct_a', other: 'ct_b' });
    expect(parseRoute('#/contacts/ct_a')).toEqual({ name: 'contact', id: 'ct_a' });
    expect(parseRoute('#/import')).toEqual({ name: 'import' });
    expect(parseRoute('#/settings/data')).toEqual({ name: 'retention' });
  });

  it('reads the header record with quotes, a BOM and either line end, and says where the rows start', () => {
    const text = '\ufeff"Full, name",E-mail,"say ""hi"""\r\nA,b,c\n';
    const h = readHeader(text)!;
    expect(h.cells).toEqual(['Full, name', 'E-mail', 'say "hi"']);
    expect(text.slice(h.end)).toBe('A,b,c\n');
    expect(readHeader('name\nx')!.cells).toEqual(['name']);
    expect(readHeader('')).toBeNull();
    expect(csvLine(['a,b', 'c"d', null, 3])).toBe('"a,b","c""d",,3\r\n');
  });
});
