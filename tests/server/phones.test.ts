// Every path that sets a phone (lead, update, identify, agent PATCH) stores E.164 read in the visitor's country (CONTRACT §1).
import { describe, expect, it } from 'vitest';
import { userHashFor } from '../../server-stub/src/domain/identity.js';
import { createClient } from './helpers/client.js';
import { useTestApp, type TestApp } from './helpers/test-app.js';

let t: TestApp;
let api: ReturnType<typeof createClient>;
useTestApp((app, client) => { t = app; api = client; });

const rowOf = async (id: string) => (await t.store.read((r) => r.getContact(id)))!;

describe('phones on the widget paths', () => {
  it('reads a local number in the country of the visitor’s time zone (alias included) on lead, update and identify', async () => {
    const vn = await api.session({ siteId: 'default', timezone: 'Asia/Saigon' });
    const lead = await api.sync(vn.token, [{ type: 'lead', name: 'Lan', phone: '0912 345 678' }]);
    expect(lead.json.results[0].status).toBe('applied');
    expect(lead.json.contact.phone).toBe('+84912345678');

    const uk = await api.session({ siteId: 'default', timezone: 'Europe/London' });
    const up = await api.sync(uk.token, [{ type: 'update', name: 'Ann', phone: '+44 (0)20 7946 0958' }]);
    expect(up.json.contact.phone).toBe('+442079460958');

    const fr = await api.session({ siteId: 'default', timezone: 'Europe/Paris' });
    const id = await api.sync(fr.token, [{ type: 'identify', customerId: 'c-fr', userHash: userHashFor(t.secret, 'c-fr'), phone: '06 12 34 56 78' }]);
    expect(id.json.results[0].status).toBe('applied');
    expect(id.json.contact.phone).toBe('+33612345678');
  });

  it('refuses a number no country allots with a rejected result naming phone, and changes nothing', async () => {
    const us = await api.session({ siteId: 'default', timezone: 'America/New_York' });
    await api.sync(us.token, [{ type: 'update', name: 'Bo', phone: '(202) 456-1111' }]);
    const before = await rowOf(us.contact.id);
    const r = await api.sync(us.token, [{ type: 'update', name: 'Bob', phone: '(555) 010-2233' }]);
    expect(r.status).toBe(200);
    expect(r.json.results[0].status).toBe('rejected');
    expect(r.json.results[0].error.code).toBe('validation_failed');
    expect(r.json.results[0].error.issues).toEqual([{ path: ['phone'], message: expect.stringMatching(/not a phone number in US/) }]);
    // the name in the same event was not applied either
    expect(await rowOf(us.contact.id)).toEqual(before);
    expect(before.phone).toBe('+12024561111');
  });

  it('asks for the country code when the zone names no country and the site has no default, then uses the default once set', async () => {
    const utc = await api.session({ siteId: 'default', timezone: 'UTC' });
    const r = await api.sync(utc.token, [{ type: 'lead', name: 'Kim', phone: '0912 345 678' }]);
    expect(r.json.results[0].status).toBe('rejected');
    expect(r.json.results[0].error.issues[0]).toEqual({ path: ['phone'], message: expect.stringMatching(/^include the country code/) });
    expect((await rowOf(utc.contact.id)).phone).toBeNull();

    const s = await api.agent('PATCH', '/v1/settings', { defaultCountry: 'VN' });
    expect(s.status).toBe(200);
    expect(s.json.defaultCountry).toBe('VN');
    const again = await api.sync(utc.token, [{ type: 'lead', name: 'Kim', phone: '0912 345 678' }]);
    expect(again.json.contact.phone).toBe('+84912345678');
  });
});

describe('phones on the agent API', () => {
  it('PATCH reads a local number in the contact’s zone and refuses a bad one with a 400 naming phone', async () => {
    const vn = await api.session({ siteId: 'default', timezone: 'Asia/Ho_Chi_Minh' });
    const ok = await api.agent('PATCH', `/v1/contacts/${vn.contact.id}`, { name: 'Lan', phone: '0912-345-678' });
    expect(ok.status).toBe(200);
    expect(ok.json.phone).toBe('+84912345678');
    const before = await rowOf(vn.contact.id);
    const bad = await api.agent('PATCH', `/v1/contacts/${vn.contact.id}`, { name: 'Changed', phone: '12345' });
    expect(bad.status).toBe(400);
    expect(bad.json.error.issues).toEqual([{ path: ['phone'], message: expect.stringMatching(/VN/) }]);
    expect(await rowOf(vn.contact.id)).toEqual(before);
  });

  it('PATCH reads the number in the zone sent with it', async () => {
    const c = await api.session({ siteId: 'default' });
    const r = await api.agent('PATCH', `/v1/contacts/${c.contact.id}`, { timezone: 'Europe/Berlin', phone: '030 901820' });
    expect(r.json).toMatchObject({ timezone: 'Europe/Berlin', phone: '+4930901820' });
  });

  it('the same person typed two ways is one number, so the duplicate hint finds them', async () => {
    const a = await api.session({ siteId: 'default', timezone: 'Europe/London' });
    await api.sync(a.token, [{ type: 'lead', name: 'Ann', phone: '020 7946 0958' }]);
    const b = await api.session({ siteId: 'default', timezone: 'America/New_York' });
    await api.sync(b.token, [{ type: 'lead', name: 'Ann', phone: '+44 (0)20 7946 0958' }]);
    expect((await api.agent('GET', `/v1/contacts/${b.contact.id}`)).json.possibleDuplicateOf).toBe(a.contact.id);
  });
});

describe('defaultCountry setting', () => {
  it('is null by default, accepts an ISO code with a numbering plan and null, refuses others naming the field', async () => {
    expect((await api.agent('GET', '/v1/settings')).json.defaultCountry).toBeNull();
    for (const bad of ['gb', 'GBR', 'XX', 'AQ', 7]) {
      const r = await api.agent('PATCH', '/v1/settings', { defaultCountry: bad, greeting: 'changed?' });
      expect(r.status, String(bad)).toBe(400);
      expect(r.json.error.issues.map((i: any) => i.path.join('.'))).toEqual(['defaultCountry']);
    }
    const after = (await api.agent('GET', '/v1/settings')).json;
    expect(after.defaultCountry).toBeNull();
    expect(after.greeting).not.toBe('changed?');
    expect((await api.agent('PATCH', '/v1/settings', { defaultCountry: 'GB' })).json.defaultCountry).toBe('GB');
    expect((await api.agent('PATCH', '/v1/settings', { defaultCountry: null })).json.defaultCountry).toBeNull();
  });

  it('settings saved before the setting existed load with it unset instead of being reset', async () => {
    const raw = JSON.parse((await t.store.read((r) => r.getSettingsJson('default')))!);
    delete raw.defaultCountry;
    await t.store.write((tx) => tx.saveSettingsJson('default', JSON.stringify({ ...raw, greeting: 'kept' })));
    const { createSettingsService } = await import('../../server-stub/src/services/settings.js');
    const s = (await createSettingsService(t.store)).get();
    expect(s.greeting).toBe('kept');
    expect(s.defaultCountry).toBeNull();
  });
});

describe('the zone a number is read in', () => {
  it('is the one sent with the change, even when it clears the stored one', async () => {
    const c = await api.session({ siteId: 'default', timezone: 'Asia/Saigon' });
    const r = await api.agent('PATCH', `/v1/contacts/${c.contact.id}`, { timezone: null, phone: '0912 345 678' });
    expect(r.status).toBe(400);
    expect(r.json.error.issues[0]).toEqual({ path: ['phone'], message: expect.stringMatching(/^include the country code/) });
    expect((await rowOf(c.contact.id)).timezone).toBe('Asia/Saigon');
  });
});
