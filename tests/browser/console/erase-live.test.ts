// An erase done elsewhere (another agent, another instance, a bulk job) reaches an open console without a refresh
// (issue 14): the agent stream's `erased` event drops the contact's row and turns an open profile into the 410 notice.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { agent, launch, signedIn, startServer, visitor, type Server } from './helpers';

let server: Server;
let browser: Browser;
beforeAll(async () => {
  server = await startServer();
  browser = await launch();
});
afterAll(async () => { await browser?.close(); await server?.stop(); });

it('the contact list drops an erased contact and an open profile says it was erased, both live', async () => {
  const gone = await visitor(server, { name: 'Gone Person', message: 'erase me' });
  await visitor(server, { name: 'Kept Person', message: 'keep me' });
  const list = await signedIn(browser, server, '#/contacts');
  await list.getByText('Live', { exact: true }).waitFor();
  await list.getByText('Gone Person').first().waitFor();
  await list.getByText('Kept Person').first().waitFor();
  const profile = await signedIn(browser, server, `#/contacts/${gone.contact.id}`);
  await profile.getByText('Live', { exact: true }).waitFor();
  await profile.getByRole('heading', { name: 'Basic information' }).waitFor();

  await agent(server, 'DELETE', `/v1/contacts/${gone.contact.id}`);
  await list.getByText('Gone Person').waitFor({ state: 'detached', timeout: 15_000 });
  expect(await list.getByText('Kept Person').count()).toBeGreaterThan(0);
  await profile.getByRole('alert').filter({ hasText: 'this contact was erased' }).waitFor({ timeout: 15_000 });
  await Promise.all([list.close(), profile.close()]);
});
