// Customers and merges in the profile, and keyboard-only use of the console.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHmac } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { launch, signedIn, startServer, visitor, type Server } from './helpers';

let server: Server;
let browser: Browser;
beforeAll(async () => { server = await startServer(); browser = await launch(); });
afterAll(async () => { await browser?.close(); await server?.stop(); });

async function identify(token: string, customerId: string, extra: Record<string, string> = {}) {
  const userHash = createHmac('sha256', server.secret!).update(customerId, 'utf8').digest('hex');
  const r = await fetch(server.url + '/v1/sync', { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ events: [{ id: 'idf-' + Math.random().toString(36).slice(2, 12), type: 'identify', customerId, userHash, ...extra }] }) });
  return (await r.json()).contact;
}

describe('profile extras', () => {
  it('shows the customer ID of a customer, and a merged contact’s address opens the surviving customer', async () => {
    const a = await visitor(server, { message: 'From my laptop' });
    await identify(a.token, 'cus_42', { name: 'Kim Customer', email: 'kim@example.com' });
    const b = await visitor(server, { message: 'From my phone' });
    await identify(b.token, 'cus_42');

    const page = await signedIn(browser, server, `#/contacts/${b.contact.id}`);
    await page.getByRole('heading', { level: 1, name: 'Kim Customer' }).waitFor();
    expect(page.url()).toContain(`#/contacts/${a.contact.id}`);
    expect(await page.locator('.profile-head').getByTestId('type-badge').textContent()).toBe('Customer');
    await page.getByText('cus_42', { exact: true }).waitFor();
    await page.getByRole('combobox', { name: 'Conversation' }).waitFor(); // two conversations, kept separate
    await page.close();
  });

  it('is usable by keyboard: skip link, navigation, and a visible focus ring', async () => {
    const page = await signedIn(browser, server, '#/contacts');
    await page.getByRole('heading', { level: 1, name: 'Contacts' }).waitFor();
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to content');
    await page.keyboard.press('Tab');
    // the Inbox link carries the caller's unread count (issue 11), e.g. "Inbox1 unread"
    expect(await page.evaluate(() => document.activeElement?.textContent)).toMatch(/^Inbox(\d+ unread)?$/);
    const ring = await page.evaluate(() => getComputedStyle(document.activeElement!).boxShadow);
    expect(ring).not.toBe('none');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Inbox' }).waitFor();
    expect(page.url()).toContain('#/inbox');
    await page.close();
  });
});
