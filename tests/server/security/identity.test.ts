// Items 1–3 of the security issue: the HMAC matrix, no history bleed, and no takeover through the lead form.
import { createHmac } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { userHashFor } from '../../../server-stub/src/domain/identity.js';
import { contactRows } from './lib/db-snapshot.js';
import { createHarness, type Harness } from './lib/in-process.js';

let h: Harness;
beforeEach(async () => {
  h = await createHarness();
});
afterEach(() => h.close());

/** Customer A: verified, with details, a custom value, a tag, a note and `n` messages. */
async function seedCustomer(n: number) {
  await h.api.agent('POST', '/v1/custom-fields', { name: 'Plan', type: 'text' });
  const a = await h.api.session();
  const events: Record<string, unknown>[] = [
    { type: 'identify', customerId: 'cust-A', userHash: userHashFor(h.secret, 'cust-A'), name: 'Alice Secret', email: 'alice.secret@corp.example', phone: '+44 20 7946 0958', custom: { plan: 'platinum-secret' } },
  ];
  for (let i = 0; i < n; i++) events.push({ type: 'message', text: `A-private-message-${i}` });
  const r = await h.api.sync(a.token, events);
  expect(r.json.results.every((x: any) => x.status === 'applied')).toBe(true);
  await h.api.agent('PUT', `/v1/contacts/${a.contact.id}/tags/VIP-secret`);
  await h.api.agent('PUT', `/v1/contacts/${a.contact.id}/note`, { text: 'A-private-note' });
  return { id: a.contact.id as string, token: a.token };
}

const A_MARKERS = ['Alice Secret', 'alice.secret', '7946', 'platinum-secret', 'A-private-message', 'VIP-secret', 'A-private-note'];
const leaks = (text: string) => A_MARKERS.filter((m) => text.includes(m));

describe('1. HMAC matrix', () => {
  it('only the exact lowercase HMAC of the exact customer id upgrades; nothing else is a 5xx or reveals the customer', async () => {
    const a = await seedCustomer(3);
    const good = userHashFor(h.secret, 'cust-A');
    const otherSite = createHmac('sha256', 'another-site-secret-0123456789abcdef').update('cust-A').digest('hex');
    const lookAlike = 'cust-\u0410'; // Cyrillic capital A
    const cases: [string, Record<string, unknown>][] = [
      ['wrong', { customerId: 'cust-A', userHash: userHashFor(h.secret, 'cust-B') }],
      ['empty', { customerId: 'cust-A', userHash: '' }],
      ['missing', { customerId: 'cust-A' }],
      ['null', { customerId: 'cust-A', userHash: null }],
      ['too short', { customerId: 'cust-A', userHash: good.slice(0, 63) }],
      ['too long', { customerId: 'cust-A', userHash: good + '0' }],
      ['uppercase', { customerId: 'cust-A', userHash: good.toUpperCase() }],
      ['non-hex', { customerId: 'cust-A', userHash: 'z'.repeat(64) }],
      ['base64 of the right bytes', { customerId: 'cust-A', userHash: Buffer.from(good, 'hex').toString('base64') }],
      ['number', { customerId: 'cust-A', userHash: 12345 }],
      ['array', { customerId: 'cust-A', userHash: [good] }],
      ['object', { customerId: 'cust-A', userHash: { hash: good } }],
      ['boolean', { customerId: 'cust-A', userHash: true }],
      ['another customer hash', { customerId: 'cust-A', userHash: userHashFor(h.secret, 'cust-Z') }],
      ["another site's secret", { customerId: 'cust-A', userHash: otherSite }],
      ['trailing space in the id', { customerId: 'cust-A ', userHash: good }],
      ['leading space in the id', { customerId: ' cust-A', userHash: good }],
      ['look-alike letter in the id', { customerId: lookAlike, userHash: good }],
      ['hash with surrounding spaces', { customerId: 'cust-A', userHash: ` ${good} ` }],
      ['hash with a NUL', { customerId: 'cust-A', userHash: good.slice(0, 63) + '\u0000' }],
    ];
    let fiveXx = 0;
    for (const [label, fields] of cases) {
      const b = await h.api.session();
      const before = contactRows(h.dataDir, a.id).hash;
      const r = await h.api.sync(b.token, [{ type: 'identify', ...fields }]);
      if (r.status >= 500) fiveXx++;
      expect(r.status, label).toBe(200);
      expect(r.json.results[0], label).toMatchObject({ status: 'rejected', error: { code: 'identity_verification_failed' } });
      expect(r.json.contact, label).toMatchObject({ id: b.contact.id, type: 'guest', customerId: null });
      expect(leaks(r.text), label).toEqual([]);
      const hist = await h.api.call('GET', '/v1/messages', undefined, b.token);
      expect(hist.json.items, label).toEqual([]);
      expect(contactRows(h.dataDir, a.id).hash, label).toBe(before);
    }
    // a correctly signed look-alike is another customer: it never lands on cust-A
    const c = await h.api.session();
    const la = await h.api.sync(c.token, [{ type: 'identify', customerId: lookAlike, userHash: userHashFor(h.secret, lookAlike) }]);
    expect(la.json.results[0].status).toBe('applied');
    expect(la.json.contact.id).toBe(c.contact.id);
    expect(leaks(la.text)).toEqual([]);
    // and the correct hash upgrades and merges into A
    const d = await h.api.session();
    const ok = await h.api.sync(d.token, [{ type: 'identify', customerId: 'cust-A', userHash: good }]);
    expect(ok.json.results[0].status).toBe('applied');
    expect(ok.json.contact).toMatchObject({ id: a.id, type: 'customer', customerId: 'cust-A' });
    console.log(`[security 1] HMAC matrix: ${cases.length} wrong variants refused, 1 look-alike kept apart, 1 correct accepted, 5xx=${fiveXx}`);
  });

  it('a wrong hash as the whole batch body type (wrong JSON type for the identify fields) is a 4xx, never a 5xx', async () => {
    const b = await h.api.session();
    for (const customerId of [null, 42, [], {}, '', 'x'.repeat(256), 'a\u0000b']) {
      const r = await h.api.sync(b.token, [{ type: 'identify', customerId, userHash: 'x' }]);
      expect(r.status).toBeLessThan(500);
      expect(r.json.results?.[0]?.status ?? 'refused').not.toBe('applied');
    }
  });
});

describe('2. no history bleed', () => {
  it('B identifying as A without a valid hash sees none of A’s 30 messages and A is unchanged byte for byte', async () => {
    const a = await seedCustomer(30);
    const before = contactRows(h.dataDir, a.id);
    expect(before.rows.messages).toHaveLength(30);
    const b = await h.api.session();
    const attempts = [undefined, '', 'f'.repeat(64), userHashFor('guess', 'cust-A')];
    for (const userHash of attempts) {
      const r = await h.api.sync(b.token, [{ type: 'identify', customerId: 'cust-A', userHash }, { type: 'message', text: 'B says hi' }]);
      expect(leaks(r.text)).toEqual([]);
    }
    const hist = await h.api.call('GET', '/v1/messages?limit=200', undefined, b.token);
    expect(hist.json.items.map((m: any) => m.text)).toEqual(['B says hi', 'B says hi', 'B says hi', 'B says hi']);
    const session = await h.api.call('GET', '/v1/session', undefined, b.token);
    expect(leaks(session.text)).toEqual([]);
    expect(contactRows(h.dataDir, a.id)).toEqual(before);
  });
});

describe('3. the form cannot take over', () => {
  it('a lead form (and update) carrying an existing customer’s email or phone leaves that customer’s rows unchanged', async () => {
    const a = await seedCustomer(5);
    const before = contactRows(h.dataDir, a.id);
    const variants = [
      { name: 'Mallory', email: 'alice.secret@corp.example' },
      { name: 'Mallory', email: 'ALICE.SECRET@CORP.EXAMPLE' },
      { name: 'Mallory', phone: '+44 20 7946 0958' },
      { name: 'Mallory', phone: '+442079460958', email: 'alice.secret@corp.example' },
    ];
    for (const v of variants) {
      for (const type of ['lead', 'update']) {
        const m = await h.api.session();
        const r = await h.api.sync(m.token, [{ type, ...v }]);
        expect(r.status).toBe(200);
        expect(r.json.contact.id).toBe(m.contact.id);
        expect(r.json.contact.customerId).toBeNull();
        const hist = await h.api.call('GET', '/v1/messages', undefined, m.token);
        expect(hist.json.items).toEqual([]);
        expect(leaks(r.text + hist.text).filter((x) => x !== 'alice.secret' && x !== '7946')).toEqual([]);
      }
    }
    expect(contactRows(h.dataDir, a.id)).toEqual(before);
    console.log(`[security 3] lead/update with a customer's email/phone: ${variants.length * 2} attempts, customer rows hash unchanged (${before.hash.slice(0, 12)})`);
  });
});

describe('1. verification switched off', () => {
  it('an unverified identify is accepted but never merges into, changes or reveals the existing customer', async () => {
    const a = await seedCustomer(5);
    const before = contactRows(h.dataDir, a.id);
    expect((await h.api.agent('PATCH', '/v1/settings', { verification: false })).status).toBe(200);
    const b = await h.api.session();
    const r = await h.api.sync(b.token, [{ type: 'identify', customerId: 'cust-A' }]);
    expect(r.json.results[0].status).toBe('applied');
    expect(r.json.contact).toMatchObject({ id: b.contact.id, type: 'customer', customerId: 'cust-A' });
    expect(leaks(r.text)).toEqual([]);
    expect((await h.api.call('GET', '/v1/messages', undefined, b.token)).json.items).toEqual([]);
    expect((await h.api.agent('GET', `/v1/contacts/${b.contact.id}`)).json.verified).toBe(false);
    expect(contactRows(h.dataDir, a.id)).toEqual(before);
  });
});
