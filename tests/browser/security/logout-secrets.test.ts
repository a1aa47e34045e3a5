// Items 5 and 6: after Chative.reset() no identity or token bytes remain in IndexedDB, localStorage, sessionStorage
// or cookies, the old token is refused, the next visitor sees nothing of the old one; visitor tokens never
// appear in URLs, Referer or server logs; the site secret never reaches the bundle or any widget response.
import { expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { type RunningServer } from '../../server/helpers/spawn-server';
import { agent, contactIn, conversationOf, poll, sendViaComposer, userHash, type HostSite, useWidgetStack } from '../widget/host-page';
import { widgetText } from './security-page';

let server: RunningServer;
let host: HostSite;
let browser: Browser;
useWidgetStack((s) => ({ server, host, browser } = s));

/** Everything this origin stores, as one string: every IndexedDB database/store/record, local/sessionStorage, cookies. */
async function storageDump(page: Page): Promise<string> {
  const inPage = await page.evaluate(async () => {
    const dbs = await indexedDB.databases();
    const out: unknown[] = [];
    for (const info of dbs) {
      const db: IDBDatabase = await new Promise((res, rej) => {
        const r = indexedDB.open(info.name!);
        r.onsuccess = () => res(r.result);
        r.onerror = () => rej(r.error);
      });
      for (const name of Array.from(db.objectStoreNames)) {
        const [keys, values] = await Promise.all(
          ['getAllKeys', 'getAll'].map((m) => new Promise<unknown[]>((res) => { const r = (db.transaction(name).objectStore(name) as any)[m](); r.onsuccess = () => res(r.result); })),
        );
        out.push({ db: info.name, store: name, keys, values });
      }
      db.close();
    }
    return JSON.stringify({ idb: out, local: { ...localStorage }, session: { ...sessionStorage } });
  });
  const cookies = JSON.stringify(await page.context().cookies());
  return inPage + cookies;
}

it('5+6. reset wipes identity and token everywhere; tokens never leave the Authorization header; no secret reaches the widget', async () => {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  const requests: { url: string; referer: string; auth: string }[] = [];
  const bodies: string[] = [];
  page.on('request', (r) => requests.push({ url: r.url(), referer: r.headers()['referer'] ?? '', auth: r.headers()['authorization'] ?? '' }));
  page.on('response', async (r) => {
    if (!r.url().startsWith(server.url)) return;
    try {
      bodies.push(await r.text());
    } catch {
      // streamed responses (SSE) have no final body here; their frames are checked below through the DOM
    }
  });
  await page.goto(host.url());
  const hash = userHash(server.secret, 'logout-cust-1');
  const me = await page.evaluate((h) => (window as any).Chative.identify('logout-cust-1', { userHash: h, name: 'Lola Logout', email: 'lola@logout.example' }), hash);
  expect(me.type).toBe('customer');
  await page.getByRole('button', { name: 'Open chat' }).click();
  await sendViaComposer(page, 'old visitor private message');
  await poll(() => page.locator('[data-seq]').count()).toBe(1);
  const conv = await conversationOf(server.url, server.agentToken, me.id);
  await agent(server.url, server.agentToken, `/v1/conversations/${conv}/messages`, { method: 'POST', body: { text: 'agent private reply https://example.com/x' } });
  await poll(() => widgetText(page)).toContain('agent private reply');

  const before = await storageDump(page);
  const tokens = new Set(requests.map((r) => /^Bearer (.+)$/.exec(r.auth)?.[1]).filter(Boolean) as string[]);
  expect(tokens.size).toBe(1);
  const [oldToken] = tokens;
  expect(before).toContain(oldToken); // the dump really sees the stored identity (so the "after" check can fail)

  await page.evaluate(() => (window as any).Chative.reset());
  await poll(async () => (await contactIn(page)).id).not.toBe(me.id);
  const next = await contactIn(page);
  expect(next).toMatchObject({ type: 'guest', customerId: null, name: null });
  const after = await storageDump(page);
  for (const secretBit of [oldToken, me.id, 'logout-cust-1', 'Lola Logout', 'lola@logout.example', 'old visitor private message', 'agent private reply']) expect(after, secretBit).not.toContain(secretBit);
  // the old token is dead everywhere
  for (const [method, path] of [['GET', '/v1/session'], ['GET', '/v1/messages'], ['POST', '/v1/sync'], ['GET', '/v1/stream']]) {
    const r = await fetch(server.url + path, { method, headers: { authorization: `Bearer ${oldToken}`, 'content-type': 'application/json' }, body: method === 'POST' ? '{"events":[]}' : undefined });
    expect(r.status, path).toBe(401);
    await r.body?.cancel();
  }
  // the next visitor sees nothing of the old one
  await page.reload();
  await page.getByRole('button', { name: 'Open chat' }).click();
  // the window has drawn the next visitor, a new guest, who is asked the pre-chat form
  await page.getByLabel('Name').waitFor();
  const shown = await widgetText(page);
  expect(shown).not.toContain('old visitor private message');
  expect(shown).not.toContain('agent private reply');
  expect((await contactIn(page)).id).toBe(next.id);

  // 6. tokens: never in a URL, a Referer or the server's output
  const allTokens = new Set(requests.map((r) => /^Bearer (.+)$/.exec(r.auth)?.[1]).filter(Boolean) as string[]);
  expect(allTokens.size).toBe(2);
  for (const t of allTokens) {
    for (const r of requests) {
      expect(decodeURIComponent(r.url)).not.toContain(t);
      expect(r.referer).not.toContain(t);
    }
    expect(server.output()).not.toContain(t);
  }
  // the site secret: not in the bundle, not in any response the widget received, not in the public config
  const bundle = await (await fetch(server.url + '/widget.js')).text();
  const config = await (await fetch(server.url + '/v1/sites/default/config')).text();
  for (const text of [bundle, config, ...bodies]) expect(text).not.toContain(server.secret);
  expect(server.output()).not.toContain(server.secret);
  console.log(`[security 5] reset: IndexedDB/localStorage/sessionStorage/cookies hold 0 bytes of the old token, contact id, customer id, name, email or messages; old token 401 on 4 endpoints; next visitor ${next.id} sees none of the old messages`);
  console.log(`[security 6] ${requests.length} requests checked: 0 tokens in URLs or Referer, 0 in server output; site secret in 0 of ${bodies.length + 2} widget responses (bundle ${bundle.length} B, config, API)`);
  await ctx.close();
});
