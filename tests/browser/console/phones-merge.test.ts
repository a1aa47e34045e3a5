// Console: the default country for phones in Settings → Widget, and a merged customer's other details on the profile and in search.
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { agent, launch, signedIn, startServer, tap, type Server } from './helpers';

let server: Server;
let browser: Browser;
beforeAll(async () => { server = await startServer(); browser = await launch(); });
afterAll(async () => { await browser?.close(); await server?.stop(); });


/** A widget visitor in a time zone, sending events through /v1/sync as the widget does. */
async function widgetVisitor(timezone: string) {
  const headers = { 'content-type': 'application/json', origin: server.url };
  const s = await (await fetch(server.url + '/v1/sessions', { method: 'POST', headers, body: JSON.stringify({ siteId: 'default', timezone }) })).json();
  let n = 0;
  return {
    id: s.contact.id as string,
    sync: async (event: Record<string, unknown>) =>
      (await fetch(server.url + '/v1/sync', { method: 'POST', headers: { ...headers, authorization: `Bearer ${s.token}` }, body: JSON.stringify({ events: [{ id: `ev-${timezone.length}-${Date.now()}-${n++}`, ...event }] }) })).json(),
  };
}

describe('phones and merges in the console', () => {
  it('sets the default country for phones; a bad code is refused naming the field', async () => {
    const page = await signedIn(browser, server, '#/settings/widget');
    const country = page.getByLabel('Default country for phones');
    await country.fill('vn');
    await expect.poll(() => page.getByText(/^Vi[eệ]t ?Nam$/i).count()).toBe(1);
    await tap(page, page.getByRole('button', { name: 'Save settings' }));
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Settings saved' }).count()).toBe(1);
    expect((await agent(server, 'GET', '/v1/settings')).defaultCountry).toBe('VN');

    // a visitor whose time zone names no country: the local number is read in the default country
    const v = await widgetVisitor('UTC');
    const r = await v.sync({ type: 'lead', name: 'Kim', phone: '0912 345 678' });
    expect(r.results[0].status).toBe('applied');
    expect((await agent(server, 'GET', `/v1/contacts/${v.id}`)).phone).toBe('+84912345678');

    await country.fill('XX');
    await tap(page, page.getByRole('button', { name: 'Save settings' }));
    // the server's refusal lands under the field it names (issues[].path = ["defaultCountry"])
    await expect.poll(() => page.locator('#w-country-err').textContent()).toMatch(/phone numbers/);
    expect(await country.getAttribute('aria-invalid')).toBe('true');
    expect((await agent(server, 'GET', '/v1/settings')).defaultCountry).toBe('VN');

    await country.fill('');
    await tap(page, page.getByRole('button', { name: 'Save settings' }));
    await expect.poll(async () => (await agent(server, 'GET', '/v1/settings')).defaultCountry).toBeNull();
    await page.close();
  });

  it("shows the lead's losing details on the survivor's profile and finds the survivor by them", async () => {
    const hash = (id: string) => createHmac('sha256', server.secret!).update(id).digest('hex');
    const customer = await widgetVisitor('Europe/London');
    await customer.sync({ type: 'identify', customerId: 'crm-77', userHash: hash('crm-77'), name: 'Grace Hopper', email: 'grace@corp.example' });
    const lead = await widgetVisitor('Asia/Saigon');
    await lead.sync({ type: 'lead', name: 'Amazing Grace', email: 'amazing@home.example', phone: '0912 345 678' });
    const merged = await lead.sync({ type: 'identify', customerId: 'crm-77', userHash: hash('crm-77') });
    expect(merged.contact.id).toBe(customer.id);

    const page = await signedIn(browser, server, '#/contacts');
    await page.getByLabel('Search').fill('amazing@home');
    const link = page.getByRole('link', { name: /Grace Hopper/ });
    await expect.poll(() => link.count()).toBe(1);
    await tap(page, link);
    const other = page.getByRole('list', { name: 'Other details from merged contacts' });
    await expect.poll(() => other.textContent()).toContain('amazing@home.example');
    const text = (await other.textContent())!;
    expect(text).toContain('Amazing Grace');
    // the customer had no phone: the lead's filled the gap, so it is the profile's phone, not an other detail
    expect(text).not.toContain('+84912345678');
    expect(await page.getByText('+84912345678', { exact: true }).count()).toBe(1);
    await page.close();
  });
});
