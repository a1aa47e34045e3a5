// Settings → Automation against the real server and real Chromium: a rule built in the editor (its preview reads
// like the sentence) that really runs, toggles, reorder, run log; a webhook with its secret, rotation,
// delivery log and redeliver. Taps land at the centre of the control; axe finds nothing serious.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { startReceiver, type Receiver } from '../../server/helpers/webhook-receiver';
import { agent, launch, seriousViolations, signedIn, startServer, tap, visitor, type Server } from './helpers';

let server: Server;
let browser: Browser;
let rx: Receiver;
beforeAll(async () => {
  rx = await startReceiver();
  server = await startServer({ CHATIVE_WEBHOOK_ALLOW_PRIVATE: '1' });
  browser = await launch();
  await agent(server, 'POST', '/v1/custom-fields', { name: 'Plan', type: 'text' });
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await rx?.close();
});

it('builds a rule that reads like a sentence, runs it, toggles, reorders and shows its runs', async () => {
  const page = await signedIn(browser, server, '#/settings/rules');
  await page.getByText('No rules yet').waitFor();
  await tap(page, page.getByRole('button', { name: 'New rule' }));
  await page.getByLabel('Name').fill('VIP leads');
  await page.getByLabel('When').selectOption('contact.tag_added');
  await page.getByLabel('Tag (empty: any)').fill('vip');
  await tap(page, page.getByRole('button', { name: 'Add condition' }));
  await page.getByLabel('Action 1', { exact: true }).selectOption('setField');
  await page.getByLabel('Action 1 field').selectOption('plan');
  await page.getByLabel('Action 1 value').fill('gold');
  await tap(page, page.getByRole('button', { name: 'Add action' }));
  await page.getByLabel('Action 2 tag').fill('auto');
  await expect.poll(() => page.getByTestId('rule-preview').textContent()).toBe('Reads: When a tag is added: vip, and type is lead → set plan to gold, add tag auto');
  expect(await seriousViolations(page)).toEqual([]);
  await tap(page, page.getByRole('button', { name: 'Save rule' }));
  await page.getByRole('list', { name: 'Rules in the order they run' }).getByText('VIP leads').waitFor();

  // it runs: an agent tags a lead vip
  const v = await visitor(server, { name: 'Ada', email: 'ada@example.com' });
  await agent(server, 'PUT', `/v1/contacts/${v.contact.id}/tags/vip`);
  expect(await agent(server, 'GET', `/v1/contacts/${v.contact.id}`)).toMatchObject({ custom: { plan: 'gold' }, tags: ['auto', 'vip'] });
  await tap(page, page.getByRole('button', { name: 'Runs of VIP leads' }));
  const runs = page.getByRole('table', { name: 'Runs of VIP leads' });
  await runs.waitFor();
  expect(await runs.textContent()).toContain('✓ setField');

  // a second rule (made by API): reorder and toggle from the list
  await agent(server, 'POST', '/v1/rules', { name: 'Welcome', trigger: { on: 'contact.created' }, actions: [{ addTag: 'new' }] });
  await page.reload();
  await tap(page, page.getByRole('button', { name: 'Move Welcome up' }));
  await expect.poll(async () => (await agent(server, 'GET', '/v1/rules')).items.map((r: { name: string }) => r.name)).toEqual(['Welcome', 'VIP leads']);
  await tap(page, page.getByRole('switch', { name: 'Enabled: Welcome' }));
  await expect.poll(async () => (await agent(server, 'GET', '/v1/rules')).items[0].enabled).toBe(false);
  await expect.poll(() => page.getByRole('switch', { name: 'Enabled: Welcome' }).getAttribute('aria-checked')).toBe('false');
  expect(await seriousViolations(page)).toEqual([]);
  await page.close();
});

it('adds a webhook, shows and rotates its secret, logs deliveries with response codes and redelivers', async () => {
  const page = await signedIn(browser, server, '#/settings/webhooks');
  await page.getByText('No webhooks yet').waitFor();
  await page.getByLabel('Endpoint URL').fill(rx.url);
  await tap(page, page.getByRole('button', { name: 'Add webhook' }));
  const card = page.getByRole('article', { name: `Webhook ${rx.url}` });
  await card.waitFor();
  const [hook] = (await agent(server, 'GET', '/v1/webhooks')).items;
  expect(await card.locator('code.secret').textContent()).toBe(hook.secret);
  await tap(page, card.getByRole('button', { name: 'Rotate secret' }));
  await expect.poll(() => card.locator('code.secret').textContent()).not.toBe(hook.secret);
  const rotated = (await agent(server, 'GET', '/v1/webhooks')).items[0].secret;
  expect(await card.locator('code.secret').textContent()).toBe(rotated);

  const before = rx.received.length;
  await visitor(server, { name: 'Bo', email: 'bo@example.com' });
  await rx.until(() => rx.received.length >= before + 2); // contact.created + contact.updated
  await tap(page, card.getByRole('button', { name: 'Deliveries' }));
  const table = card.getByRole('table', { name: `Deliveries to ${rx.url}` });
  await expect.poll(async () => (await table.textContent()) ?? '').toMatch(/contact\.updated.*delivered.*204/s);
  const first = (await agent(server, 'GET', `/v1/webhooks/${hook.id}/deliveries`)).items[0];
  await tap(page, table.getByRole('button', { name: `Redeliver ${first.id}` }));
  await rx.until(() => rx.received.filter((r) => r.headers['webhook-id'] === first.id).length === 2);
  expect(await seriousViolations(page)).toEqual([]);
  await page.close();
});
