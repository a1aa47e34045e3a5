// Contacts list: cursor pagination with Next/Previous, per-type counts, search and a custom-field filter.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { agent, launch, signedIn, startServer, visitor, type Server } from './helpers';

let server: Server;
let browser: Browser;
beforeAll(async () => {
  server = await startServer({ CHATIVE_RATE_LIMIT: '0' });
  browser = await launch();
  await agent(server, 'POST', '/v1/custom-fields', { name: 'Plan', type: 'text' });
  for (let i = 0; i < 27; i++) {
    const v = await visitor(server, i % 3 === 0 ? {} : { name: `Person ${String(i).padStart(2, '0')}`, email: `p${i}@example.com` });
    if (i < 4) await agent(server, 'PATCH', `/v1/contacts/${v.contact.id}`, { custom: { plan: 'pro' } });
  }
});
afterAll(async () => { await browser?.close(); await server?.stop(); });

describe('contacts list', () => {
  it('pages with Next/Previous, counts per type, searches and filters by a custom field value', async () => {
    const page = await signedIn(browser, server, '#/contacts');
    const rows = page.locator('tbody tr');
    await expect.poll(() => rows.count()).toBe(25);
    await expect.poll(() => page.getByRole('button', { name: /^All/ }).textContent()).toContain('27');
    await expect.poll(() => page.getByRole('button', { name: /^Guests/ }).textContent()).toContain('9');
    await expect.poll(() => page.getByRole('button', { name: /^Leads/ }).textContent()).toContain('18');
    const first = await rows.first().textContent();

    await page.getByRole('button', { name: 'Next' }).click();
    await expect.poll(() => rows.count()).toBe(2);
    expect(await page.getByRole('button', { name: 'Next' }).isDisabled()).toBe(true);
    await page.getByRole('button', { name: 'Previous' }).click();
    await expect.poll(() => rows.count()).toBe(25);
    expect(await rows.first().textContent()).toBe(first);

    await page.getByRole('button', { name: /^Guests/ }).click();
    await expect.poll(() => rows.count()).toBe(9);

    await page.getByRole('button', { name: /^All/ }).click();
    await page.getByRole('searchbox', { name: 'Search' }).fill('p13@example');
    await expect.poll(() => rows.count()).toBe(1);
    expect(await rows.first().textContent()).toContain('Person 13');
    await page.getByRole('searchbox', { name: 'Search' }).fill('');

    await page.getByLabel('Custom field').selectOption({ label: 'Plan' });
    await page.getByLabel('Plan is').fill('pro');
    await page.getByRole('button', { name: 'Apply' }).click();
    await expect.poll(() => rows.count()).toBe(4);
    await page.getByRole('button', { name: 'Remove custom field filter' }).click();
    await expect.poll(() => rows.count()).toBe(25);
    await page.close();
  });
});
