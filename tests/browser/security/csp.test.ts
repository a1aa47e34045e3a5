// Item 9: the widget works on a host page with default-src 'none', nonce + 'strict-dynamic' scripts,
// nonce-only styles and connect-src <server> — open, form, send, receive, identify — with 0 CSP violations.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { startServer, type RunningServer } from '../../server/helpers/spawn-server';
import { agent, contactIn, conversationOf, launchChromium, poll, sendViaComposer, userHash } from '../widget/host-page';
import { captureCsp, startCspSite, strictCsp, widgetText, type CspSite } from './security-page';

let server: RunningServer;
let site: CspSite;
let browser: Browser;
beforeAll(async () => {
  server = await startServer();
  site = await startCspSite(server.url);
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await site?.close();
  await server?.stop();
});

it('9. open, form, send, receive and identify under a strict host CSP with 0 violations', async () => {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  const violations = await captureCsp(page);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(site.url());
  await page.getByRole('button', { name: 'Open chat' }).click();
  // the pre-chat form
  await page.getByLabel('Name').fill('Strict Sam');
  await page.getByLabel('Email').fill('sam@strict.example');
  await page.getByRole('button', { name: 'Start chatting' }).click();
  await poll(async () => (await contactIn(page)).type).toBe('lead');
  // send
  await sendViaComposer(page, 'hello under a strict CSP');
  await poll(() => page.locator('[data-seq]').count()).toBe(1);
  // receive
  const contact = await contactIn(page);
  const conv = await conversationOf(server.url, server.agentToken, contact.id);
  await agent(server.url, server.agentToken, `/v1/conversations/${conv}/messages`, { method: 'POST', body: { text: 'agent reply through connect-src' } });
  await poll(() => widgetText(page)).toContain('agent reply through connect-src');
  // identify
  const hash = userHash(server.secret, 'strict-1');
  const identified = await page.evaluate((h) => (window as any).Chative.identify('strict-1', { userHash: h }), hash);
  expect(identified).toMatchObject({ type: 'customer', customerId: 'strict-1' });
  // the widget is styled (adopted stylesheet applied): the launcher is not an unstyled inline button
  const styled = await page.evaluate(() => {
    const root = document.getElementById('chative-root')!.shadowRoot!;
    const btn = root.querySelector('button')!;
    return { sheets: root.adoptedStyleSheets.length, position: getComputedStyle(btn.closest('[class]') ?? btn).position };
  });
  expect(styled.sheets).toBeGreaterThan(0);
  const found = await violations();
  console.log(`[security 9] strict CSP "${strictCsp('…', server.url)}": open, form, send, receive, identify all worked; ${found.length} CSP violations; ${errors.length} page errors`);
  expect(found).toEqual([]);
  expect(errors).toEqual([]);
  await ctx.close();
});

it('9. the CSP check itself can fail: an inline style attribute on the host page is reported', async () => {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  const violations = await captureCsp(page);
  await page.goto(site.url(`document.addEventListener('DOMContentLoaded', () => { const d = document.createElement('div'); d.setAttribute('style', 'color:red'); document.body.appendChild(d); });`));
  await poll(async () => (await violations()).length).toBeGreaterThan(0);
  await ctx.close();
});
