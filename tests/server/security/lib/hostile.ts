// fast-check generators of hostile request bodies, query strings and headers for the fuzz suite.
import fc from 'fast-check';

const enc = new TextEncoder();

/** Invalid UTF-8 byte sequences (overlongs, lone continuation bytes, surrogates, truncated runs). */
export const invalidUtf8 = fc.constantFrom(
  [0xc0, 0xaf], [0xe0, 0x80, 0xaf], [0xed, 0xa0, 0x80], [0x80], [0xbf], [0xf8, 0x88, 0x80, 0x80, 0x80], [0xff, 0xfe], [0xe2, 0x82], [0xf4, 0x90, 0x80, 0x80],
);

const nasty = fc.oneof(
  fc.constantFrom('\u0000', 'a\u0000b', '\uD800', '\uDFFF', '\u202E', '\uFEFF', '%00', '../../etc/passwd', '${7*7}', '{{7*7}}', '<script>x</script>', ' ', '', 'null', 'undefined', 'NaN'),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
);

const hugeNumberText = fc.constantFrom('1e400', '-1e400', '123456789012345678901234567890', '0.0000000000000000000000001', '-0', '9007199254740993', '1E+999');

/** Any JSON-ish value, including prototype keys, deep and wide structures. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: fc.anything({ maxDepth: 3, maxKeys: 6, size: 'small', withNullPrototype: false, withBigInt: false, withObjectString: true, key: fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf')) }) },
  { weight: 2, arbitrary: nasty },
  { weight: 1, arbitrary: fc.oneof(fc.integer(), fc.double(), fc.constantFrom(Number.MAX_SAFE_INTEGER + 2, -Number.MAX_VALUE, 1e308)) },
);

/** A template that looks like the real body, with one or more fields made hostile. */
function eventLike(): fc.Arbitrary<unknown> {
  return fc.record(
    {
      id: fc.oneof(fc.constant('evt_0001'), fc.string({ minLength: 0, maxLength: 70 }), hostileValue),
      type: fc.oneof(fc.constantFrom('message', 'lead', 'update', 'identify', 'bogus', 'MESSAGE', '__proto__'), hostileValue),
      text: fc.oneof(fc.string({ maxLength: 30 }), hostileValue),
      name: fc.oneof(fc.string({ maxLength: 30 }), hostileValue),
      email: fc.oneof(fc.emailAddress(), hostileValue),
      phone: fc.oneof(fc.constant('+44 20 7946 0958'), hostileValue),
      customerId: fc.oneof(fc.string({ maxLength: 30 }), hostileValue),
      userHash: hostileValue,
      custom: fc.oneof(fc.dictionary(fc.string({ maxLength: 10 }), hostileValue, { maxKeys: 5 }), hostileValue),
      conversationId: hostileValue,
    },
    { requiredKeys: [] },
  );
}

/** Raw text of a JSON document that JSON.stringify cannot make: deep nesting, many keys, prototype keys, big numbers. */
const rawJson = fc.oneof(
  fc.integer({ min: 100, max: 20_000 }).map((n) => '['.repeat(n) + ']'.repeat(n)),
  fc.integer({ min: 100, max: 5_000 }).map((n) => '{"a":'.repeat(n) + '1' + '}'.repeat(n)),
  fc.integer({ min: 100, max: 5_000 }).map((n) => '{"events":[' + '{"x":'.repeat(n) + '1' + '}'.repeat(n) + ']}'),
  fc.integer({ min: 1_000, max: 6_000 }).map((n) => '{' + Array.from({ length: n }, (_, i) => `"k${i}":${i}`).join(',') + '}'),
  fc.integer({ min: 100, max: 3_000 }).map((n) => '{"events":[{"id":"evt_0001","type":"update","custom":{' + Array.from({ length: n }, (_, i) => `"f${i}":"v"`).join(',') + '}}]}'),
  fc.constantFrom(
    '{"__proto__":{"polluted":"yes"}}',
    '{"events":[{"id":"evt_0001","type":"update","__proto__":{"polluted":"yes"}}]}',
    '{"events":[{"id":"evt_0001","type":"update","custom":{"__proto__":{"polluted":"yes"}}}]}',
    '{"events":[{"id":"evt_0001","type":"update","constructor":{"prototype":{"polluted":"yes"}}}]}',
    '{"siteId":"default","constructor":{"prototype":{"polluted":"yes"}}}',
    '{"events":[{"id":"evt_0001","type":"message","text":"a\\u0000b"}]}',
    '{"events":[{"id":"evt_0001","type":"message","text":"\\ud800"}]}',
    '', ' ', 'null', 'true', '[]', '{}', '"events"', '{"events":null}', '{"events":{}}', '{"events":[null]}', '{"events":[[]]}',
    '{"events":[1e400]}', '{"siteId":1e400}', '{"events":[{"id":"evt_0001","type":"update","custom":{"n":1e400}}]}',
  ),
  hugeNumberText.map((n) => `{"events":[{"id":"evt_0001","type":"update","custom":{"seats":${n}}}]}`),
  fc.string({ maxLength: 200 }),
  fc.string({ unit: 'binary', maxLength: 200 }).map((s) => '{"events":[{"id":"evt_0001","type":"message","text":' + JSON.stringify(s) + '}]}'),
);

/** A request body: JSON text, raw bytes (invalid UTF-8), or an oversized document. */
export function hostileBody(template: fc.Arbitrary<unknown>): fc.Arbitrary<string | Uint8Array> {
  return fc.oneof(
    { weight: 5, arbitrary: template.map((v) => safeStringify(v)) },
    { weight: 3, arbitrary: rawJson },
    { weight: 2, arbitrary: fc.tuple(template, invalidUtf8, fc.nat(40)).map(([v, bad, at]) => splice(enc.encode(safeStringify(v)), bad, at)) },
    { weight: 1, arbitrary: fc.integer({ min: 64 * 1024 - 64, max: 200 * 1024 }).map((n) => '{"events":[{"id":"evt_0001","type":"message","text":"' + 'x'.repeat(n) + '"}]}') },
  );
}

export const syncTemplate = fc.oneof(
  fc.record({ events: fc.array(eventLike(), { maxLength: 3 }) }),
  fc.record({ events: fc.oneof(hostileValue, fc.array(hostileValue, { maxLength: 5 })) }),
  fc.tuple(eventLike(), fc.integer({ min: 101, max: 130 })).map(([e, n]) => ({ events: Array.from({ length: n }, () => e) })),
  hostileValue,
);
export const sessionTemplate = fc.oneof(
  fc.record({ siteId: fc.oneof(fc.constant('default'), hostileValue), timezone: fc.oneof(fc.constantFrom('Europe/Paris', 'Mars/Base', '../../etc'), hostileValue), locale: fc.oneof(fc.constantFrom('en', 'vi-VN', 'xx-!!'), hostileValue) }, { requiredKeys: [] }),
  hostileValue,
);
export const loginTemplate = fc.oneof(
  fc.record({ customerId: fc.oneof(fc.string({ maxLength: 30 }), hostileValue), name: hostileValue, email: hostileValue }, { requiredKeys: [] }),
  hostileValue,
);

/** Query-string and header values. */
export const hostileParam = fc.oneof(nasty, hugeNumberText, fc.integer().map(String), fc.constantFrom('%', '%zz', '%E0%A4%A', '%00', '-1', '1.5', '0x10', '1e3', 'Infinity'));

function splice(bytes: Uint8Array, bad: readonly number[], at: number): Uint8Array {
  const i = Math.min(at, bytes.length);
  const out = new Uint8Array(bytes.length + bad.length);
  out.set(bytes.subarray(0, i));
  out.set(bad, i);
  out.set(bytes.subarray(i), i + bad.length);
  return out;
}

function safeStringify(v: unknown): string {
  try {
    return JSON.stringify(v) ?? 'undefined';
  } catch {
    return String(v);
  }
}

/** A body shaped like `keys` (any subset), each value sometimes hostile; or any hostile value instead. */
const shaped = (keys: Record<string, fc.Arbitrary<unknown>>) =>
  fc.oneof(
    { weight: 3, arbitrary: fc.record(Object.fromEntries(Object.entries(keys).map(([k, a]) => [k, fc.oneof(a, hostileValue)])), { requiredKeys: [] }) },
    { weight: 1, arbitrary: hostileValue },
  );

const text = (max: number) => fc.oneof(fc.string({ maxLength: 30 }), fc.integer({ min: max - 2, max: max + 2 }).map((n) => 'x'.repeat(n)));

/** Agent API bodies (issue 15: the fuzz suite covers the agent API as well as the widget's). */
export const agentTemplates = {
  contactPatch: shaped({
    name: text(255), email: fc.emailAddress(), phone: fc.constant('+44 20 7946 0958'), customerId: fc.string({ maxLength: 30 }),
    timezone: fc.constantFrom('Europe/Paris', 'Mars/Base', null), custom: fc.dictionary(fc.constantFrom('seats', 'plan', '__proto__', 'toString', 'x'), hostileValue, { maxKeys: 4 }),
  }),
  note: shaped({ text: text(20_000) }),
  reply: shaped({ text: text(10_000) }),
  tagCreate: shaped({ name: text(64) }),
  fieldCreate: shaped({ name: text(100), key: fc.string({ maxLength: 70 }), type: fc.constantFrom('text', 'number', 'date', 'boolean', 'bogus'), inForm: fc.boolean(), required: fc.boolean() }),
  fieldPatch: shaped({ name: text(100), inForm: fc.boolean(), required: fc.boolean() }),
  settingsPatch: shaped({
    color: fc.constantFrom('#4f46e5', 'red', '#12345g'), greeting: text(500), position: fc.constantFrom('left', 'right', 'up'),
    form: fc.record({ enabled: fc.boolean(), fields: fc.array(fc.record({ key: fc.constantFrom('name', 'email', 'seats', '__proto__', 'nope'), required: fc.boolean() }), { maxLength: 5 }), emailOrPhone: fc.boolean() }, { requiredKeys: [] }),
    verification: fc.boolean(), allowedOrigins: fc.array(fc.constantFrom('https://shop.example', 'http://localhost:*', 'javascript:alert(1)', '*', ''), { maxLength: 4 }),
  }),
};
