// The contacts screen keeps its filters in the address: Back from a profile, a reload and a pasted
// link all show the same filtered list; the Contacts link clears them.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { agent, launch, signedIn, signInWithToken, startServer, visitor, type Server } from './helpers';

let server: Server;
let browser: Browser;
beforeAll(async () => {
  server = await startServer({ CHATIVE_RATE_LIMIT: '0' });
  browser = await launch();
  for (let i = 0; i < 8; i++) {
    const v = await visitor(server, { name: `Filter Person ${i}`, email: `fp${i}@example.com` });
    if (i < 3) await agent(server, 'PUT', `/v1/contacts/${v.contact.id}/tags/vip`);
    if (i < 2) await agent(server, 'PUT', `/v1/contacts/${v.contact.id}/tags/billing`);
  }
});
afterAll(async () => { await browser?.close(); await server?.stop(); });

it('filters survive Back from a profile, a reload and a pasted link; the Contacts link clears them', async () => {
  const page = await signedIn(browser, server, '#/contacts');
  const rows = page.locator('tbody tr');
  await expect.poll(() => rows.count()).toBe(8);
  await page.getByLabel('Tags').selectOption('vip');
  await expect.poll(() => rows.count()).toBe(3);
  await page.getByLabel('Tags').selectOption('billing');
  await expect.poll(() => rows.count()).toBe(2);
  await page.getByRole('button', { name: /^Leads/ }).click();
  await expect.poll(() => page.evaluate(() => location.hash)).toBe('#/contacts?type=lead&tag=vip&tag=billing');

  await rows.first().getByRole('link').click();
  await page.getByRole('heading', { name: /Filter Person/ }).first().waitFor();
  await page.goBack();
  await expect.poll(() => rows.count()).toBe(2);
  expect(await page.getByRole('list', { name: 'Active filters' }).textContent()).toMatch(/vip.*billing/);
  expect(await page.getByRole('button', { name: /^Leads/ }).getAttribute('aria-pressed')).toBe('true');

  await page.reload();
  await expect.poll(() => rows.count()).toBe(2);

  const pasted = await browser.newPage();
  await pasted.goto(`${server.url}/console/#/contacts?tag=vip`);
  await signInWithToken(pasted, server.agentToken);
  await expect.poll(() => pasted.locator('tbody tr').count()).toBe(3);
  await pasted.close();

  await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Contacts', exact: true }).click();
  await expect.poll(() => rows.count()).toBe(8);
  expect(await page.getByRole('list', { name: 'Active filters' }).count()).toBe(0);
  await page.close();
});
