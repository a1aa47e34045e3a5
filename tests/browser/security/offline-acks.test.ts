// Item 13: 50 messages typed offline, a reload in the middle, then acknowledgements dropped after the server
// committed (a TCP proxy cuts the connection after forwarding the request): exactly 50 delivered, in order.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { startServer, type RunningServer } from '../../server/helpers/spawn-server';
import { agent, contactIn, conversationOf, launchChromium, poll, sendViaComposer, startHostSite, type HostSite } from '../widget/host-page';
import { startAckProxy, type AckProxy } from './ack-proxy';

let server: RunningServer;
let proxy: AckProxy;
let host: HostSite;
let browser: Browser;
beforeAll(async () => {
  server = await startServer();
  proxy = await startAckProxy(server);
  host = await startHostSite(proxy.url); // widget.js and every API call go through the proxy
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await host?.close();
  await proxy?.close();
  await server?.stop();
});

it('13. 50 offline messages, a reload, and dropped acknowledgements: exactly 50 delivered, in order', async () => {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await page.goto(host.url({ before: `Chative.update({ name: 'Ack Dropped', email: 'ack@example.com' })` }));
  await poll(async () => (await contactIn(page)).type).toBe('lead');
  const contact = await contactIn(page);
  await page.getByRole('button', { name: 'Open chat' }).click();
  await page.getByRole('textbox', { name: 'Message' }).waitFor();
  const text = (i: number) => 'acked-or-not ' + String(i).padStart(2, '0');
  const api = (url: URL) => url.origin === proxy.url && url.pathname.startsWith('/v1/');
  await page.route(api, (r) => r.abort('internetdisconnected'));
  for (let i = 1; i <= 25; i++) await sendViaComposer(page, text(i));
  await poll(() => page.locator('[data-pending="pending"]').count()).toBe(25);
  // a message is shown as pending at once and written to the outbox a moment later: reload once all 25 are stored
  await poll(() => page.evaluate(() => new Promise<number>((resolve, reject) => {
    const open = indexedDB.open('chative');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const get = open.result.transaction('kv').objectStore('kv').get('default:outbox');
      get.onsuccess = () => { resolve((get.result as unknown[] | undefined)?.length ?? 0); open.result.close(); };
      get.onerror = () => reject(get.error);
    };
  }))).toBe(25);
  await page.reload(); // the outbox must survive in IndexedDB
  await page.getByRole('button', { name: 'Open chat' }).click();
  await poll(() => page.locator('[data-pending="pending"]').count()).toBe(25);
  for (let i = 26; i <= 50; i++) await sendViaComposer(page, text(i));
  await poll(() => page.locator('[data-pending="pending"]').count()).toBe(50);
  // back online, but the first acknowledgements are lost after the server committed
  proxy.dropNext(3);
  const syncsBefore = proxy.syncs;
  await page.unroute(api);
  await poll(() => page.locator('[data-seq]').count(), { timeout: 60_000 }).toBe(50);
  expect(await page.locator('[data-pending]').count()).toBe(0);
  const conv = await conversationOf(server.url, server.agentToken, contact.id);
  const messages = await agent(server.url, server.agentToken, `/v1/conversations/${conv}/messages?limit=200`);
  const expected = Array.from({ length: 50 }, (_, i) => text(i + 1));
  expect(messages.items.map((m: { text: string }) => m.text)).toEqual(expected);
  const shown = await page.locator('[data-seq]').allTextContents();
  expect(shown).toEqual(expected.map((t) => expect.stringContaining(t)));
  expect(proxy.dropped).toBeGreaterThan(0);
  console.log(`[security 13] 50 offline messages, 1 reload, ${proxy.dropped} acknowledgements dropped after commit (${proxy.syncs - syncsBefore} sync requests): server holds exactly 50, in order; widget shows 50, 0 pending`);
  await ctx.close();
}, 120_000);
