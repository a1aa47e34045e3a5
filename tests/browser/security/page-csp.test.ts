// Issue 15 (Low): the console and the demo shop send a Content-Security-Policy and refuse to be framed;
// every console screen and the shop's inline buttons still work under it in Chromium with 0 violations.
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import { startServer, type RunningServer } from '../../server/helpers/spawn-server';
import { launchChromium } from '../widget/host-page';
import { captureCsp, widgetText } from './security-page';
import { signInWithToken } from '../console/helpers';

let server: RunningServer;
let browser: Browser;
let framer: HttpServer;
let framerUrl = '';
beforeAll(async () => {
  server = await startServer();
  browser = await launchChromium();
  // another origin that tries to frame the console (clickjacking)
  framer = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end(`<!doctype html><iframe id="f" src="${server.url}/console/" width="800" height="600"></iframe>`);
  });
  await new Promise<void>((r) => framer.listen(0, '127.0.0.1', () => r()));
  framerUrl = `http://127.0.0.1:${(framer.address() as AddressInfo).port}/`;
});
afterAll(async () => {
  await browser?.close();
  await new Promise((r) => framer?.close(r));
  await server?.stop();
});

/** Taps the element's centre point, as a finger or mouse would. */
async function tap(page: Page, target: Locator) {
  await target.waitFor();
  const box = (await target.boundingBox())!;
  await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
}

const agent = (path: string, method = 'GET', body?: unknown) =>
  fetch(server.url + path, { method, headers: { authorization: `Bearer ${server.agentToken}`, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined }).then((r) => r.json());

it('the console and the shop answer a CSP without unsafe-inline/eval, frame-ancestors none and X-Frame-Options DENY', async () => {
  for (const path of ['/console/', '/console/some/route', '/']) {
    const res = await fetch(server.url + path);
    await res.arrayBuffer();
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp, path).toContain("frame-ancestors 'none'");
    expect(csp, path).toContain("default-src 'self'");
    expect(csp, path).not.toMatch(/'unsafe-inline'|'unsafe-eval'/);
    expect(res.headers.get('x-frame-options'), path).toBe('DENY');
  }
});

it('every console screen works under its CSP with 0 violations, and another origin cannot frame it', async () => {
  // data for the screens: a visitor with a message, a tag and a custom field
  const session = await (await fetch(server.url + '/v1/sessions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"siteId":"default"}' })).json();
  await fetch(server.url + '/v1/sync', { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${session.token}` }, body: JSON.stringify({ events: [{ id: 'csp_lead_1', type: 'lead', name: 'Csp Carla', email: 'carla@csp.example' }, { id: 'csp_msg_1', type: 'message', text: 'hello from a visitor' }] }) });
  await agent(`/v1/contacts/${session.contact.id}/tags/vip`, 'PUT');
  await agent('/v1/custom-fields', 'POST', { name: 'Plan', type: 'text' });
  const conv = (await agent(`/v1/conversations?contactId=${session.contact.id}`)).items[0].id;

  const page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
  const violations = await captureCsp(page);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${server.url}/console/#/contacts`);
  await signInWithToken(page, server.agentToken);
  await page.getByText('Csp Carla').first().waitFor();
  await page.goto(`${server.url}/console/#/contacts/${session.contact.id}`);
  await page.getByRole('heading', { name: /Csp Carla/ }).first().waitFor();
  await page.goto(`${server.url}/console/#/inbox/${conv}`);
  await page.getByText('hello from a visitor').first().waitFor();
  // the live stream (connect-src 'self') delivers a visitor's message to the open thread
  await fetch(server.url + '/v1/sync', { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${session.token}` }, body: JSON.stringify({ events: [{ id: 'csp_msg_2', type: 'message', text: 'live under the CSP' }] }) });
  await page.getByText('live under the CSP').first().waitFor();
  // each settings screen, waited for by something it shows once its data arrived
  for (const [screen, shows] of [['#/settings/fields', 'Plan'], ['#/settings/tags', 'vip'], ['#/settings/widget', 'Sites allowed to load the widget'], ['#/settings/rules', 'No rules yet'], ['#/settings/webhooks', 'No webhooks yet']]) {
    await page.goto(`${server.url}/console/${screen}`);
    await page.getByText(shows).first().waitFor();
  }

  // framed by another origin: the console document never loads inside the frame
  const framed = await browser.newPage();
  const framedViolations = await captureCsp(framed);
  await framed.goto(framerUrl);
  await expect.poll(async () => (await framedViolations()).some((v) => /frame-ancestors/.test(v)), { timeout: 10_000 }).toBe(true);
  const frame = framed.frames().find((f) => f !== framed.mainFrame());
  const loaded = frame ? await frame.evaluate(() => document.title).catch(() => '') : '';
  expect(loaded).not.toMatch(/Chative/);
  // control: the same console top-level is the real thing
  expect(await page.title()).toMatch(/Chative/);

  const found = await violations();
  console.log(`[security 15] console screens under "${(await fetch(server.url + '/console/')).headers.get('content-security-policy')}": ${found.length} CSP violations, ${errors.length} page errors; framing from another origin refused`);
  expect(found).toEqual([]);
  expect(errors).toEqual([]);
  await framed.close();
  await page.close();
});

it('the demo shop, its inline stub and its onclick button work under the CSP with 0 violations', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
  const violations = await captureCsp(page);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(server.url + '/');
  await page.waitForFunction(() => !!document.getElementById('chative-root'));
  await page.waitForFunction(() => !!(window as any).Chative?.getContact);
  expect(await widgetText(page)).not.toContain('Start chatting');
  await tap(page, page.getByRole('button', { name: 'Ask us about this coffee' }));
  // the hashed inline onclick ran Chative.open(): the pre-chat form shows
  await expect.poll(() => widgetText(page), { timeout: 10_000 }).toContain('Start chatting');
  const found = await violations();
  console.log(`[security 15] demo shop: widget opened by the inline onclick; ${found.length} CSP violations, ${errors.length} page errors`);
  expect(found).toEqual([]);
  expect(errors).toEqual([]);
  await page.close();
});
