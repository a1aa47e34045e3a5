import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createSseParser, type SseEvent } from '../../../demo-site/console/src/lib/sse-parser';
import { fromCustomValue, toCustomValue } from '../../../demo-site/console/src/lib/custom-value';
import { parseRoute } from '../../../demo-site/console/src/lib/hash-route';
import { initials, localTimeIn, relativeTime } from '../../../demo-site/console/src/lib/format';
import { query } from '../../../demo-site/console/src/api/http';
import { EMBED, embedSnippet, STUB } from '../../../demo-site/console/src/lib/snippet';
import { readFileSync } from 'node:fs';

describe('SSE parser', () => {
  const stream = 'id: 41\nevent: message\ndata: {"a":1}\n\n: keep-alive\n\nevent: contact\ndata: {"b":\ndata: 2}\n\n';
  const expected: SseEvent[] = [{ id: '41', event: 'message', data: '{"a":1}' }, { id: undefined, event: 'contact', data: '{"b":\n2}' }];

  it('parses events, ids, multi-line data and skips comments', () => {
    const out: SseEvent[] = [];
    createSseParser((e) => out.push(e))(stream);
    expect(out).toEqual(expected);
  });

  it('gives the same events however the bytes are chunked', () => {
    fc.assert(fc.property(fc.array(fc.integer({ min: 0, max: stream.length }), { maxLength: 8 }), (cuts) => {
      const out: SseEvent[] = [];
      const feed = createSseParser((e) => out.push(e));
      const points = [...new Set(cuts)].sort((a, b) => a - b);
      let prev = 0;
      for (const p of [...points, stream.length]) { feed(stream.slice(prev, p)); prev = p; }
      expect(out).toEqual(expected);
    }));
  });

  it('handles CRLF line endings', () => {
    const out: SseEvent[] = [];
    createSseParser((e) => out.push(e))('id: 1\r\nevent: message\r\ndata: x\r\n\r\n');
    expect(out).toEqual([{ id: '1', event: 'message', data: 'x' }]);
  });
});

describe('custom values', () => {
  it('converts numbers and booleans, and sends non-matching text as typed so the server refuses it', () => {
    expect(toCustomValue('number', ' 12 ')).toBe(12);
    expect(toCustomValue('number', '-1.5')).toBe(-1.5);
    expect(toCustomValue('number', 'twelve')).toBe('twelve');
    expect(toCustomValue('number', '12abc')).toBe('12abc');
    // no finite number: JSON would carry Infinity as null and erase the stored value; sent as typed, refused
    expect(toCustomValue('number', '1e400')).toBe('1e400');
    expect(toCustomValue('number', '-1e400')).toBe('-1e400');
    expect(JSON.stringify({ v: toCustomValue('number', '1e400') })).toBe('{"v":"1e400"}');
    expect(toCustomValue('boolean', 'true')).toBe(true);
    expect(toCustomValue('date', '2027-01-31')).toBe('2027-01-31');
    expect(toCustomValue('text', '  keep spaces ')).toBe('  keep spaces ');
    expect(toCustomValue('text', '   ')).toBeNull();
    expect(fromCustomValue(null)).toBe('');
    expect(fromCustomValue(false)).toBe('false');
  });
});

describe('hash routes', () => {
  it('maps every screen', () => {
    expect(parseRoute('')).toEqual({ name: 'contacts' });
    expect(parseRoute('#/contacts')).toEqual({ name: 'contacts' });
    expect(parseRoute('#/contacts/ct_a%2Fb')).toEqual({ name: 'contact', id: 'ct_a/b' });
    expect(parseRoute('#/inbox')).toEqual({ name: 'inbox', id: undefined });
    expect(parseRoute('#/inbox/c1')).toEqual({ name: 'inbox', id: 'c1' });
    expect(parseRoute('#/settings/fields')).toEqual({ name: 'fields' });
    expect(parseRoute('#/settings/tags')).toEqual({ name: 'tags' });
    expect(parseRoute('#/settings/widget')).toEqual({ name: 'widget' });
    expect(parseRoute('#/settings/rules')).toEqual({ name: 'rules' });
    expect(parseRoute('#/settings/webhooks')).toEqual({ name: 'webhooks' });
    expect(parseRoute('#/nope')).toEqual({ name: 'notFound' });
  });
});

describe('formatting and queries', () => {
  it('formats relative times, local times and initials', () => {
    const now = Date.parse('2026-01-01T12:00:00Z');
    expect(relativeTime('2026-01-01T11:59:50Z', now)).toBe('Just now');
    expect(relativeTime('2026-01-01T11:50:00Z', now)).toBe('10 min ago');
    expect(relativeTime(null, now)).toBe('Never');
    expect(localTimeIn('Not/AZone')).toBeNull();
    expect(localTimeIn('Asia/Tokyo', new Date('2026-01-01T12:00:00Z'))).toMatch(/09|9/);
    expect(initials('Ada King Lovelace')).toBe('AL');
    expect(initials('')).toBe('?');
  });

  it('builds filter queries with repeated tags and no empty values', () => {
    expect(query({ type: 'lead', tag: ['VIP', 'a b'], q: '', cursor: null, 'field.plan': 'pro' })).toBe('?type=lead&tag=VIP&tag=a+b&field.plan=pro');
    expect(query({})).toBe('');
  });

  it('the console shows the same queue stub the widget ships', () => {
    expect(STUB).toBe(readFileSync(new URL('../../../widget/snippet/stub.min.js', import.meta.url), 'utf8').trim());
    expect(EMBED).toBe(readFileSync(new URL('../../../widget/snippet/embed.min.js', import.meta.url), 'utf8').trim());
    expect(embedSnippet('https://chat.example.com')).toBe(`<script>${EMBED}</script>`);
    expect(embedSnippet('https://chat.b.example', 'shop')).toContain('(window,document,"https://chat.b.example/widget.js","shop");</script>');
  });
});
