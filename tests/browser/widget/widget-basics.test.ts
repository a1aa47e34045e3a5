// The built widget.js in real Chromium, served by the real server, on a host page of another origin.
import { describe, it, expect, beforeAll, afterAll, afterEach } from 'vitest';
import { mkdirSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startServer, type RunningServer } from '../../server/helpers/spawn-server';
import { startHostSite, launchChromium, userHash, agent, conversationOf, contactIn, sendViaComposer, poll, type HostSite } from './host-page';

let server: RunningServer;
let host: HostSite;
let browser: Browser;
const tmp = new URL('../../.tmp/', import.meta.url).pathname;
let pageErrors: string[] = [];

beforeAll(async () => {
  mkdirSync(tmp, { recursive: true });
  server = await startServer();
  host = await startHostSite(server.url);
  browser = await launchChromium();
});
afterEach(() => {
  const errors = pageErrors;
  pageErrors = [];
  expect(errors).toEqual([]);
});
afterAll(async () => {
  await browser?.close();
  await host?.close();
  await server?.stop();
});

async function fresh(): Promise<{ ctx: BrowserContext; page: Page }> {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  page.on('pageerror', (e) => pageErrors.push(e.message)); // nothing may throw into the host page
  return { ctx, page };
}

const launcher = (page: Page) => page.getByRole('button', { name: 'Open chat' });

describe('widget in Chromium', () => {
  it('calls made before widget.js loads resolve with real results; only window.Chative is added', async () => {
    const { ctx, page } = await fresh();
    const before = `window.out = {}; window.keysBefore = Object.keys(window);
      Chative.update({ name: 'Early Bird', email: 'early@example.com' }).then(c => out.update = c, e => out.updateErr = e.code);
      Chative.getContact().then(c => out.contact = c);
      Chative.update({ email: 42 }).then(() => out.bad = 'resolved', e => out.bad = e.code);
      Chative.on('ready', c => out.ready = c.id);`;
    await page.goto(host.url({ before }));
    await page.waitForFunction(() => (window as any).out.update && (window as any).out.contact && (window as any).out.bad);
    const out = await page.evaluate(() => (window as any).out);
    expect(out.update.type).toBe('lead');
    expect(out.update.name).toBe('Early Bird');
    expect(out.contact.id).toBe(out.update.id);
    expect(out.bad).toBe('invalid_argument');
    const added = await page.evaluate(() => Object.keys(window).filter((k) => !(window as any).keysBefore.includes(k) && k !== 'keysBefore' && k !== 'out'));
    expect(added).toEqual([]);
    expect(await page.evaluate(() => typeof (window as any).Chative.open)).toBe('function');
    // The server knows this lead.
    const c = await agent(server.url, server.agentToken, '/v1/contacts/' + out.update.id);
    expect(c).toMatchObject({ type: 'lead', email: 'early@example.com' });
    // Everything is inside one open shadow root; no stylesheet landed in the host document.
    expect(await page.evaluate(() => document.styleSheets.length)).toBe(0);
    expect(await page.evaluate(() => !!document.getElementById('chative-root')?.shadowRoot)).toBe(true);
    await ctx.close();
  });

  it('pre-chat form: inline errors, then a successful lead; Escape closes and focus returns', async () => {
    const { ctx, page } = await fresh();
    await page.goto(host.url());
    await launcher(page).click();
    const name = page.getByLabel('Name');
    await poll(() => name.count()).toBe(1);
    await poll(() => page.evaluate(() => document.getElementById('chative-root')!.shadowRoot!.activeElement?.id)).toBe('chative-f-name');
    await page.getByRole('button', { name: 'Start chatting' }).click();
    await poll(() => name.getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByText('Please enter your name.').count()).toBe(1);
    expect(await page.getByRole('status').textContent()).toMatch(/Please fix 3 fields/);
    await name.fill('Lina Lead');
    await page.getByLabel('Email').fill('not-an-email');
    await page.getByRole('button', { name: 'Start chatting' }).click();
    await poll(() => page.getByText(/email address like/).count()).toBe(1);
    await page.getByLabel('Email').fill('');
    await page.getByLabel('Phone').fill('+44 (0)20-7946 0958');
    await page.getByRole('button', { name: 'Start chatting' }).click();
    await poll(() => page.getByRole('textbox', { name: 'Message' }).count()).toBe(1);
    const contact = await contactIn(page);
    await poll(async () => (await agent(server.url, server.agentToken, '/v1/contacts/' + contact.id)).type).toBe('lead');
    const stored = await agent(server.url, server.agentToken, '/v1/contacts/' + contact.id);
    expect(stored.name).toBe('Lina Lead');
    expect(stored.phone).toBe('+442079460958'); // the trunk (0) dropped by the server, not kept as +4402…
    // The whole journey: chat, and the agent's reply shows up.
    await sendViaComposer(page, 'I have a question');
    await poll(() => page.locator('[data-seq]').count()).toBe(1);
    const conv = await conversationOf(server.url, server.agentToken, contact.id);
    await agent(server.url, server.agentToken, `/v1/conversations/${conv}/messages`, { method: 'POST', body: { text: 'Happy to help, Lina' } });
    await poll(() => page.getByRole('log').textContent(), { timeout: 20_000 }).toContain('Happy to help, Lina');
    await page.keyboard.press('Escape');
    await poll(() => page.getByRole('dialog').count()).toBe(0);
    expect(await page.evaluate(() => document.getElementById('chative-root')!.shadowRoot!.activeElement?.getAttribute('aria-label'))).toBe('Open chat');
    await ctx.close();
  });

  it('identify: a wrong hash rejects and changes nothing; the right one makes a customer with all history', async () => {
    const customerId = 'cust-' + Date.now();
    // Earlier, on another device, the customer chatted.
    const a = await fresh();
    await a.page.goto(host.url({ before: `Chative.identify(${JSON.stringify(customerId)}, { userHash: ${JSON.stringify(userHash(server.secret, customerId))}, name: 'Cora', email: 'cora@example.com' })` }));
    await poll(async () => (await contactIn(a.page)).type).toBe('customer');
    await launcher(a.page).click();
    await sendViaComposer(a.page, 'from the first device');
    await poll(() => a.page.locator('[data-seq]').count()).toBe(1);
    await a.ctx.close();

    const b = await fresh();
    await b.page.goto(host.url());
    const guest = await contactIn(b.page);
    expect(guest.type).toBe('guest');
    await b.page.evaluate(() => (window as any).Chative.update({ name: 'Visitor', email: 'v@example.com' }));
    await launcher(b.page).click();
    await sendViaComposer(b.page, 'as a guest');
    await poll(() => b.page.locator('[data-seq]').count()).toBe(1);
    const wrong = await b.page.evaluate((id) => (window as any).Chative.identify(id, { userHash: '0'.repeat(64) }).then(() => 'resolved', (e: any) => e.code + ': ' + e.message), customerId);
    expect(wrong).toMatch(/^identity_verification_failed/);
    expect((await contactIn(b.page)).type).toBe('lead');
    const right = await b.page.evaluate(([id, hash]) => (window as any).Chative.identify(id, { userHash: hash }), [customerId, userHash(server.secret, customerId)]);
    expect(right).toMatchObject({ type: 'customer', customerId });
    // Merged: both conversations' messages are visible.
    await poll(() => b.page.locator('[data-seq]').allTextContents(), { timeout: 20_000 })
      .toEqual([expect.stringContaining('from the first device'), expect.stringContaining('as a guest')]);
    await b.ctx.close();
  });

  it('reload keeps the contact and the history; reset makes a new guest and wipes storage', async () => {
    const { ctx, page } = await fresh();
    await page.goto(host.url({ before: `Chative.update({ name: 'Remy', email: 'remy@example.com' })` }));
    const first = await contactIn(page);
    await launcher(page).click();
    await sendViaComposer(page, 'remember me');
    await poll(() => page.locator('[data-seq]').count()).toBe(1);
    await page.reload();
    expect((await contactIn(page)).id).toBe(first.id);
    await launcher(page).click();
    await poll(() => page.locator('[data-seq]').allTextContents()).toEqual([expect.stringContaining('remember me')]);
    await page.evaluate(() => (window as any).Chative.reset());
    const after = await contactIn(page);
    expect(after.id).not.toBe(first.id);
    expect(after.type).toBe('guest');
    expect(await page.locator('[data-seq]').count()).toBe(0);
    // Nothing of the old identity is left: idb-keyval's own store holds only the new guest.
    const dump = await page.evaluate(() => new Promise<string>((resolve) => {
      const req = indexedDB.open('chative');
      req.onsuccess = () => {
        const all = req.result.transaction('kv').objectStore('kv').getAll();
        all.onsuccess = () => resolve(JSON.stringify(all.result));
      };
    }));
    expect(dump).not.toContain(first.id);
    expect(await page.evaluate(() => indexedDB.databases().then((d) => d.map((x) => x.name)))).toEqual(['chative']);
    await ctx.close();
  });

  it('an agent reply appears live, with an unread badge while closed', async () => {
    const { ctx, page } = await fresh();
    await page.goto(host.url({ before: `Chative.update({ name: 'Liv', email: 'liv@example.com' }); window.got = []; Chative.on('message', m => got.push(m.author + ':' + m.text)); Chative.on('unread', n => window.unread = n);` }));
    const contact = await contactIn(page);
    await launcher(page).click();
    await sendViaComposer(page, 'hello, anyone there? https://example.com/order/1');
    await poll(() => page.locator('[data-seq]').count()).toBe(1);
    expect(await page.locator('[data-seq] a').getAttribute('rel')).toBe('noopener noreferrer nofollow');
    const conv = await conversationOf(server.url, server.agentToken, contact.id);
    await agent(server.url, server.agentToken, `/v1/conversations/${conv}/messages`, { method: 'POST', body: { text: 'Yes! <b>not bold</b>' } });
    await poll(() => page.getByRole('log').textContent(), { timeout: 20_000 }).toContain('Yes! <b>not bold</b>');
    expect(await page.locator('[data-seq] b').count()).toBe(0); // text, never HTML
    await page.keyboard.press('Escape');
    await agent(server.url, server.agentToken, `/v1/conversations/${conv}/messages`, { method: 'POST', body: { text: 'Still there?' } });
    await poll(() => page.evaluate(() => (window as any).unread), { timeout: 20_000 }).toBe(1);
    expect(await page.locator('.badge').textContent()).toBe('1');
    expect(await page.evaluate(() => (window as any).got)).toContain('agent:Still there?');
    await ctx.close();
  });

  it('consent-first mode writes nothing and connects nowhere until the chat is opened', async () => {
    const { ctx, page } = await fresh();
    const requests: string[] = [];
    page.on('request', (r) => { if (r.url().startsWith(server.url + '/v1/')) requests.push(r.url()); });
    await page.goto(host.url({ consent: true, before: 'window.early = Chative.getContact().then(c => window.got = c)' }));
    await launcher(page).waitFor();
    // the loader has painted the launcher, in the task where it would read the config and look for a
    // returning visitor; an idle callback then lets anything it started settle
    await page.evaluate(() => new Promise((r) => requestIdleCallback(r, { timeout: 2000 })));
    expect(requests).toEqual([]);
    expect(await page.evaluate(() => indexedDB.databases().then((d) => d.length))).toBe(0);
    await launcher(page).click();
    await page.waitForFunction(() => (window as any).got);
    expect(requests.length).toBeGreaterThan(0);
    expect(await page.evaluate(() => indexedDB.databases().then((d) => d.map((x) => x.name)))).toEqual(['chative']);
    await ctx.close();
  });

  it('looks right on a host page whose stylesheet is `* { all: unset !important }`', async () => {
    const { ctx, page } = await fresh();
    await page.setViewportSize({ width: 1000, height: 700 });
    await page.goto(host.url({
      head: '<style>* { all: unset !important } body { font: 40px/3 "Comic Sans MS", cursive !important; color: lime !important }</style>',
      before: `Chative.update({ name: 'Hoa', email: 'hoa@example.com' })`,
    }));
    await contactIn(page);
    const box = await launcher(page).boundingBox();
    expect(box).toMatchObject({ width: 56, height: 56, x: 1000 - 20 - 56, y: 700 - 20 - 56 });
    await launcher(page).click();
    await sendViaComposer(page, 'Styled as usual?');
    await poll(() => page.locator('[data-seq]').count()).toBe(1);
    const win = await page.getByRole('dialog').boundingBox();
    expect(win?.width).toBe(370);
    const style = await page.getByRole('textbox', { name: 'Message' }).evaluate((el) => {
      const s = getComputedStyle(el);
      return { fontSize: s.fontSize, color: s.color, display: s.display };
    });
    expect(style).toEqual({ fontSize: '16px', color: 'rgb(31, 36, 48)', display: 'block' });
    await page.screenshot({ path: tmp + 'widget-hostile-stylesheet.png' });
    await ctx.close();
  });
  it('speaks Vietnamese on a lang="vi" page and goes full screen under 480 px', async () => {
    const ctx = await browser.newContext({ viewport: { width: 375, height: 667 }, locale: 'vi-VN' });
    const page = await ctx.newPage();
    await page.goto(host.url({ lang: 'vi' }));
    await page.getByRole('button', { name: 'Mở trò chuyện' }).click();
    await poll(() => page.getByLabel('Họ tên').count()).toBe(1);
    await page.getByRole('button', { name: 'Bắt đầu trò chuyện' }).click();
    await poll(() => page.getByText(/^Vui lòng nhập họ tên/).count()).toBe(1);
    const box = await page.getByRole('dialog').boundingBox();
    expect(box).toMatchObject({ x: 0, y: 0, width: 375, height: 667 });
    const contact = await contactIn(page);
    const stored = await agent(server.url, server.agentToken, '/v1/contacts/' + contact.id);
    expect(stored.timezone).toBe(await page.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone));
    await ctx.close();
  });
  it('works under a strict CSP: no unsafe-inline styles, no eval, only the chat origin', async () => {
    const { ctx, page } = await fresh();
    const csp = `default-src 'none'; script-src 'unsafe-inline' ${server.url}; connect-src ${server.url}; style-src 'none'`;
    await page.addInitScript(() => {
      (window as any).violations = [];
      document.addEventListener('securitypolicyviolation', (e) => (window as any).violations.push(e.violatedDirective + ' ' + e.blockedURI));
    });
    await page.goto(host.url({ head: `<meta http-equiv="Content-Security-Policy" content="${csp}">`, before: `Chative.update({ name: 'Cy', email: 'cy@example.com' })` }));
    await poll(async () => (await contactIn(page)).type).toBe('lead');
    expect(await launcher(page).boundingBox()).toMatchObject({ width: 56, height: 56 });
    await launcher(page).click();
    await sendViaComposer(page, 'under CSP');
    await poll(() => page.locator('[data-seq]').count()).toBe(1);
    expect(await page.getByRole('dialog').boundingBox()).toMatchObject({ width: 370 });
    expect(await page.evaluate(() => (window as any).violations)).toEqual([]);
    await ctx.close();
  });
});
