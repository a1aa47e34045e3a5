// Live both ways: a visitor's message from the demo shop's widget appears in the console; the agent's reply reaches the widget.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { agent, launch, screenshot, signedIn, startServer, visitor, type Server } from './helpers';

let server: Server;
let browser: Browser;
beforeAll(async () => {
  server = await startServer();
  browser = await launch();
  await agent(server, 'PATCH', '/v1/settings', { form: { enabled: false } }); // straight to the chat: the form is the widget's own test
});
afterAll(async () => { await browser?.close(); await server?.stop(); });

describe('live conversation between the demo shop and the console', () => {
  it('shows a new visitor message live in the inbox and delivers the agent reply to the widget', async () => {
    const consolePage = await signedIn(browser, server, '#/inbox');
    await consolePage.getByText('No conversations yet').waitFor();
    await consolePage.getByText('Live', { exact: true }).waitFor();

    const shopContext = await browser.newContext({ viewport: { width: 1100, height: 800 } });
    const shop = await shopContext.newPage();
    await shop.goto(server.url + '/');
    await shop.getByRole('button', { name: 'Open chat' }).click();
    const box = shop.getByRole('textbox', { name: 'Message' });
    await box.fill('Do you ship to Lisbon?');
    await box.press('Enter');

    // the console learns about the new conversation without a reload
    const conv = consolePage.getByRole('link', { name: /Do you ship to Lisbon\?/ });
    await conv.waitFor({ timeout: 15_000 });
    expect(await conv.textContent()).toMatch(/1\s*unread/);
    await conv.click();
    await consolePage.getByRole('list', { name: /Conversation with/ }).getByText('Do you ship to Lisbon?').waitFor();
    await consolePage.getByRole('complementary', { name: 'Contact' }).getByRole('heading', { name: 'Basic information' }).waitFor();

    const reply = consolePage.getByRole('textbox', { name: 'Reply' });
    await reply.fill('Yes — 2 to 3 days to Portugal.');
    await reply.press('Enter');
    await consolePage.getByRole('list', { name: /Conversation with/ }).getByText('Yes — 2 to 3 days to Portugal.').waitFor();

    // the reply reaches the visitor's open widget in the other window
    await shop.getByText('Yes — 2 to 3 days to Portugal.').waitFor({ timeout: 15_000 });

    // and a follow-up from the visitor lands in the open thread live
    await box.fill('Great, thanks!');
    await box.press('Enter');
    await consolePage.getByRole('list', { name: /Conversation with/ }).getByText('Great, thanks!').waitFor({ timeout: 15_000 });
    await screenshot(consolePage, 'inbox-live');
    await screenshot(shop, 'demo-shop-chat');
    await shopContext.close();
    await consolePage.close();
  });

  it('demo shop: log in as a customer identifies the visitor, log out resets it', async () => {
    const context = await browser.newContext();
    const shop = await context.newPage();
    await shop.goto(server.url + '/');
    await shop.getByRole('button', { name: 'Log in as a customer' }).click();
    await expect.poll(() => shop.locator('#login-result').textContent(), { timeout: 15_000 }).toContain('now a customer');
    const list = await agent(server, 'GET', '/v1/contacts?q=demo-ada');
    expect(list.items.map((c: any) => [c.type, c.customerId, c.name])).toEqual([['customer', 'demo-ada', 'Ada Lovelace']]);

    // a reload identifies again before widget.js has loaded (the queued call settles truthfully)
    await shop.reload();
    await expect.poll(() => shop.locator('#early-log').textContent(), { timeout: 15_000 }).toMatch(/identify.*resolved — contact is a customer/);

    await shop.getByRole('button', { name: 'Log out' }).click();
    await expect.poll(() => shop.locator('#login-result').textContent(), { timeout: 15_000 }).toContain('fresh guest');
    const after = await shop.evaluate(() => (window as any).Chative.getContact());
    expect(after.type).toBe('guest');
    await context.close();
  });

  it('the early section can call update() before widget.js loads and the contact becomes a lead', async () => {
    const context = await browser.newContext();
    const shop = await context.newPage();
    await shop.goto(server.url + '/?name=Grace%20Early&email=grace.early@example.com');
    await expect.poll(() => shop.locator('#early-log').textContent(), { timeout: 15_000 }).toMatch(/update.*resolved — contact is a lead/);
    const list = await agent(server, 'GET', '/v1/contacts?q=grace.early');
    expect(list.items.map((c: any) => c.type)).toEqual(['lead']);
    await context.close();
  });

  it('an open profile follows the visitor live: new messages and a guest becoming a lead', async () => {
    const v = await visitor(server, { message: 'First question' });
    const page = await signedIn(browser, server, `#/contacts/${v.contact.id}`);
    await page.locator('.msg-text', { hasText: 'First question' }).waitFor();
    const badge = page.locator('.profile-head').getByTestId('type-badge');
    expect(await badge.textContent()).toBe('Guest');
    await page.getByText('Live', { exact: true }).waitFor();

    await v.say('Second question');
    await page.locator('.msg-text', { hasText: 'Second question' }).waitFor({ timeout: 15_000 });
    const r = await fetch(server.url + '/v1/sync', { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${v.token}` },
      body: JSON.stringify({ events: [{ id: 'live-upgrade-1', type: 'lead', name: 'Quinn Live', email: 'quinn@example.com' }] }) });
    expect(r.status).toBe(200);
    await expect.poll(() => badge.textContent(), { timeout: 15_000 }).toBe('Lead');
    await page.getByRole('heading', { level: 1, name: 'Quinn Live' }).waitFor();
    await page.close();
  });
});
