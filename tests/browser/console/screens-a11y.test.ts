// Every console screen and the demo shop: axe-core finds no serious/critical violation; screenshots for review.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { agent, launch, screenshot, seriousViolations, signedIn, signInWithToken, startServer, visitor, type Server } from './helpers';

const XSS = '<img src=x onerror=alert(1)>';
let server: Server;
let browser: Browser;
let contactId: string;
let conversationId: string;

beforeAll(async () => {
  server = await startServer();
  browser = await launch();
  await agent(server, 'POST', '/v1/custom-fields', { name: 'Plan', type: 'text' });
  await agent(server, 'POST', '/v1/custom-fields', { name: 'Seats', type: 'number' });
  await agent(server, 'POST', '/v1/custom-fields', { name: 'Renewal date', type: 'date' });
  await agent(server, 'POST', '/v1/custom-fields', { name: 'Newsletter', type: 'boolean' });
  await agent(server, 'POST', '/v1/tags', { name: 'VIP' });
  await agent(server, 'POST', '/v1/tags', { name: 'Beta' });
  const v = await visitor(server, { name: XSS, email: 'xss@example.com', message: 'Hello, is the Yirgacheffe in stock?' });
  contactId = v.contact.id;
  conversationId = v.conversationId!;
  await agent(server, 'PATCH', `/v1/contacts/${contactId}`, { custom: { plan: 'pro', seats: 12, renewal_date: '2027-01-31', newsletter: true } });
  await agent(server, 'PUT', `/v1/contacts/${contactId}/tags/VIP`);
  await agent(server, 'PUT', `/v1/contacts/${contactId}/note`, { text: 'Prefers email. Asked about bulk pricing.' });
  await agent(server, 'POST', `/v1/conversations/${conversationId}/messages`, { text: 'Hi! Yes, we roast it every Monday.' });
  await visitor(server, { name: 'Grace Hopper', email: 'grace@example.com', message: 'Can I change my delivery address?' });
  await visitor(server, {});
});
afterAll(async () => { await browser?.close(); await server?.stop(); });

describe('console screens and demo shop', () => {
  it('sign-in screen has no serious accessibility violation', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(server.url + '/console/');
    await page.getByLabel('Email').waitFor();
    await screenshot(page, 'sign-in');
    expect(await seriousViolations(page)).toEqual([]);
    await signInWithToken(page, 'wrong-token-000000000000', { wait: false });
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('not accepted');
    expect(await seriousViolations(page)).toEqual([]);
    await page.close();
  });

  const screens: [string, string, string][] = [
    ['contacts', '#/contacts', 'Contacts'],
    ['inbox', '#/inbox', 'Inbox'],
    ['custom-fields', '#/settings/fields', 'Custom fields'],
    ['tags', '#/settings/tags', 'Tags'],
    ['widget-settings', '#/settings/widget', 'Widget'],
  ];
  for (const [name, hash, heading] of screens) {
    it(`${heading} screen has no serious accessibility violation`, async () => {
      const page = await signedIn(browser, server, hash);
      await page.getByRole('heading', { level: 1, name: heading }).waitFor();
      // loaded: no spinner and nothing busy (a timeout here fails the test rather than checking a half-drawn screen)
      await page.waitForFunction(() => !document.querySelector('.loading, [aria-busy="true"]'), undefined, { timeout: 10_000 });
      await screenshot(page, name);
      expect(await seriousViolations(page)).toEqual([]);
      await page.close();
    });
  }

  it('contact profile shows a hostile name as text, with no violation', async () => {
    const page = await signedIn(browser, server, `#/contacts/${contactId}`);
    let dialogs = 0;
    page.on('dialog', (d) => { dialogs++; void d.dismiss(); });
    await page.getByRole('heading', { level: 1, name: XSS }).waitFor();
    await page.getByText('Hello, is the Yirgacheffe in stock?').waitFor();
    expect(await page.locator('img[src="x"]').count()).toBe(0);
    expect(dialogs).toBe(0);
    await screenshot(page, 'contact-profile');
    expect(await seriousViolations(page)).toEqual([]);
    await page.close();
  });

  it('inbox with an open conversation shows the profile beside the thread', async () => {
    const page = await signedIn(browser, server, `#/inbox/${conversationId}`);
    await page.locator('.msg-text', { hasText: 'Hi! Yes, we roast it every Monday.' }).waitFor();
    await page.getByRole('complementary', { name: 'Contact' }).getByRole('heading', { name: 'Basic information' }).waitFor();
    await screenshot(page, 'inbox-open');
    expect(await seriousViolations(page)).toEqual([]);
    await page.close();
  });

  it('works at phone width', async () => {
    const page = await signedIn(browser, server, '#/contacts', { width: 390, height: 844 });
    await page.getByRole('heading', { level: 1, name: 'Contacts' }).waitFor();
    await page.getByRole('link', { name: 'Grace Hopper' }).waitFor();
    await screenshot(page, 'contacts-phone');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    expect(await seriousViolations(page)).toEqual([]);
    await page.goto(`${server.url}/console/#/inbox/${conversationId}`);
    await page.locator('.msg-text', { hasText: 'Hi! Yes, we roast it every Monday.' }).waitFor();
    expect(await page.getByRole('list', { name: 'Conversations' }).isVisible()).toBe(false); // phone: the open thread takes the screen
    await screenshot(page, 'inbox-phone');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.close();
  });

  it('demo shop has no serious accessibility violation', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
    await page.goto(server.url + '/');
    await page.getByRole('heading', { level: 1, name: 'Ethiopia Yirgacheffe' }).waitFor();
    await page.getByRole('button', { name: 'Open chat' }).waitFor({ timeout: 15_000 }).catch(() => {}); // the widget is another helper's; audit the page either way
    await screenshot(page, 'demo-shop');
    expect(await seriousViolations(page)).toEqual([]);
    await page.close();
  });
});
