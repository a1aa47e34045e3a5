// Issue 9 items 2 and 8 in real Chromium: every console editor shows the server's verdict on its field and
// keeps what was typed; duplicates, "already exists", unset Yes/No values and links are told truthfully.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import { agent, launch, signedIn, startServer, tap, visitor, type Server } from './helpers';

let server: Server;
let browser: Browser;
beforeAll(async () => { server = await startServer(); browser = await launch(); });
afterAll(async () => { await browser?.close(); await server?.stop(); });

/** The message an input's aria-describedby points at. */
async function describedText(page: Page, input: Locator) {
  const ids = (await input.getAttribute('aria-describedby'))?.split(' ') ?? [];
  const texts = await Promise.all(ids.map((id) => page.locator('#' + id).textContent()));
  return texts.join(' ');
}

describe('the console tells the truth', () => {
  it('custom fields: the key preview is the server rule, a second field with that key says it exists', async () => {
    const page = await signedIn(browser, server, '#/settings/fields');
    const name = page.getByLabel('Name', { exact: true });
    await name.fill('Café préféré');
    await expect.poll(() => page.getByTestId('derived-key').textContent()).toBe('cafe_prefere');
    await tap(page, page.getByRole('button', { name: 'Create field' }));
    await page.getByRole('row', { name: /Café préféré/ }).waitFor();
    expect((await agent(server, 'GET', '/v1/custom-fields')).items.map((f: any) => f.key)).toContain('cafe_prefere');

    await name.fill('Cafe Prefere');
    await tap(page, page.getByRole('button', { name: 'Create field' }));
    await expect.poll(() => name.getAttribute('aria-invalid')).toBe('true');
    expect(await describedText(page, name)).toContain('A field with the key “cafe_prefere” already exists');
    expect(await name.inputValue()).toBe('Cafe Prefere');
    await page.close();
  });

  it('tags: creating one that exists (in any case) says so instead of "created"', async () => {
    await agent(server, 'POST', '/v1/tags', { name: 'VIP' });
    const page = await signedIn(browser, server, '#/settings/tags');
    const input = page.getByLabel('New tag name');
    await input.fill('vip');
    await tap(page, page.getByRole('button', { name: 'Create tag' }));
    await expect.poll(() => input.getAttribute('aria-invalid')).toBe('true');
    expect(await describedText(page, input)).toMatch(/A tag “VIP” already exists/);
    expect(await page.getByText(/Tag .* created/).count()).toBe(0);
    await page.close();
  });

  it('a number editor refuses 1e400 and abc with a message and keeps the stored value; Yes/No can be unset', async () => {
    await agent(server, 'POST', '/v1/custom-fields', { name: 'Seats', type: 'number' });
    await agent(server, 'POST', '/v1/custom-fields', { name: 'Newsletter', type: 'boolean' });
    const v = await visitor(server, { name: 'Nora Number', email: 'nora@example.com' });
    await agent(server, 'PATCH', `/v1/contacts/${v.contact.id}`, { custom: { seats: 12 } });
    const page = await signedIn(browser, server, `#/contacts/${v.contact.id}`);
    const seats = page.getByLabel('Seats');
    await expect.poll(() => seats.inputValue()).toBe('12');
    for (const typed of ['1e400', 'abc']) {
      await seats.fill(typed);
      await seats.press('Enter');
      await expect.poll(() => seats.getAttribute('aria-invalid')).toBe('true');
      expect(await describedText(page, seats)).toMatch(/Seats: expected a number\. Nothing was saved\./);
      expect(await seats.inputValue()).toBe(typed);
      expect((await agent(server, 'GET', `/v1/contacts/${v.contact.id}`)).custom.seats).toBe(12);
    }

    const group = page.getByRole('radiogroup', { name: 'Newsletter' });
    expect(await group.getByRole('radio', { name: 'Not set' }).isChecked()).toBe(true);
    await tap(page, group.getByRole('radio', { name: 'Yes', exact: true }));
    await expect.poll(async () => (await agent(server, 'GET', `/v1/contacts/${v.contact.id}`)).custom.newsletter).toBe(true);
    await tap(page, group.getByRole('radio', { name: 'No', exact: true }));
    await expect.poll(async () => (await agent(server, 'GET', `/v1/contacts/${v.contact.id}`)).custom.newsletter).toBe(false);
    await tap(page, group.getByRole('radio', { name: 'Not set' }));
    await expect.poll(async () => 'newsletter' in (await agent(server, 'GET', `/v1/contacts/${v.contact.id}`)).custom).toBe(false);
    // the screen shows the saved state once the answer is drawn, which can trail the server's write under load
    await expect.poll(() => group.getByRole('radio', { name: 'Not set' }).isChecked()).toBe(true);
    await page.close();
  });

  it('basic details: a refused phone is said under Phone and the other fields keep what was typed', async () => {
    const v = await visitor(server, { name: 'Basil Basic', email: 'basil@example.com' });
    const page = await signedIn(browser, server, `#/contacts/${v.contact.id}`);
    await tap(page, page.getByRole('button', { name: 'Edit details' }));
    const form = page.getByRole('form', { name: 'Edit contact details' });
    await form.getByLabel('Name').fill('Basil Renamed');
    await form.getByLabel('Phone').fill('+0 12');
    await tap(page, form.getByRole('button', { name: 'Save details' }));
    const phone = form.getByLabel('Phone');
    await expect.poll(() => phone.getAttribute('aria-invalid')).toBe('true');
    expect(await describedText(page, phone)).toMatch(/phone/i);
    expect(await form.getByLabel('Name').inputValue()).toBe('Basil Renamed');
    expect(await form.getByLabel('Name').getAttribute('aria-invalid')).toBeNull();
    expect((await agent(server, 'GET', `/v1/contacts/${v.contact.id}`)).name).toBe('Basil Basic');
    await page.close();
  });

  it('widget settings: a bad allowed origin is said under the origins box, naming the entry', async () => {
    const page = await signedIn(browser, server, '#/settings/widget');
    const box = page.getByLabel(/Sites allowed to load the widget/);
    await box.fill('https://shop.example\nshop.example/path');
    await tap(page, page.getByRole('button', { name: 'Save settings' }));
    await expect.poll(() => box.getAttribute('aria-invalid')).toBe('true');
    expect(await describedText(page, box)).toMatch(/“shop\.example\/path”: Expected an origin/);
    expect(await box.inputValue()).toBe('https://shop.example\nshop.example/path');
    expect((await agent(server, 'GET', '/v1/settings')).allowedOrigins).toEqual([]);
    await page.close();
  });

  it('a lead carrying another contact’s email is flagged on the profile and in the inbox, with a link', async () => {
    const customer = await visitor(server, { name: 'Carla Customer', email: 'carla@example.com' });
    const lookalike = await visitor(server, { name: 'Not Carla', email: 'carla@example.com', message: 'hi, reset my password: https://evil.example/x and javascript:alert(1)' });
    expect((await agent(server, 'GET', `/v1/contacts/${lookalike.contact.id}`)).possibleDuplicateOf).toBe(customer.contact.id);
    const page = await signedIn(browser, server, `#/contacts/${lookalike.contact.id}`);
    const warning = page.getByRole('region', { name: 'Possible duplicate' });
    await warning.waitFor();
    const link = warning.getByRole('link', { name: /Carla Customer/ });
    await link.waitFor();
    expect(await link.getAttribute('href')).toBe(`#/contacts/${encodeURIComponent(customer.contact.id)}`);

    await page.goto(`${server.url}/console/#/inbox/${encodeURIComponent(lookalike.conversationId!)}`);
    // flagged in the conversation list too, before anyone opens it
    await page.getByRole('link', { name: /Not Carla.*Possible duplicate/ }).waitFor();
    await page.getByRole('complementary', { name: 'Contact' }).getByRole('region', { name: 'Possible duplicate' }).waitFor();
    // the customer's own profile carries no warning of its own
    expect((await agent(server, 'GET', `/v1/contacts/${customer.contact.id}`)).possibleDuplicateOf ?? null).toBeNull();

    // links in messages: http(s) only, safe rel, the rest stays text
    const thread = page.getByRole('list', { name: /Conversation with Not Carla/ });
    const a = thread.getByRole('link', { name: 'https://evil.example/x' });
    await a.waitFor();
    expect(await a.getAttribute('href')).toBe('https://evil.example/x');
    expect(await a.getAttribute('rel')).toBe('noopener noreferrer nofollow');
    expect(await thread.locator('a').count()).toBe(1);
    expect(await thread.textContent()).toContain('javascript:alert(1)');
    await page.close();
  });
});
