// The loader and the window: a page view costs widget.js alone (the server bakes the site config into it),
// no session, no contact, no IndexedDB; the window's module arrives on intent; one click shows the window at once;
// a failed module load says so and retries; a repeated verified identify is answered from storage.
import { describe, it, expect } from 'vitest';
import type { Browser, Page, Request, Route } from 'playwright-core';
import type { RunningServer } from '../../server/helpers/spawn-server';
import { useWidgetStack, agent, contactIn, conversationOf, sendViaComposer, userHash, poll, type HostSite } from './host-page';

let server: RunningServer;
let host: HostSite;
let browser: Browser;
useWidgetStack((s) => ({ server, host, browser } = s));

const launcher = (page: Page) => page.getByRole('button', { name: 'Open chat' });
const isApp = (url: string) => /\/widget\/app-[\w-]+\.js/.test(url);

/** Every request the page makes to the chat server, as "METHOD /path". */
function record(page: Page) {
  const seen: string[] = [];
  page.on('request', (r: Request) => {
    if (r.url().startsWith(server.url)) seen.push(r.method() + ' ' + new URL(r.url()).pathname);
  });
  return seen;
}

async function centreOf(page: Page) {
  const b = (await launcher(page).boundingBox())!;
  return { x: b.x + b.width / 2, y: b.y + b.height / 2 };
}

/** Counts the page's document.cookie reads; `hide`: as a browser without the Cookie Store API (window.cookieStore undefined). */
const COOKIE_READS = (hide: boolean) => `(() => {
  const d = Object.getOwnPropertyDescriptor(Document.prototype, 'cookie');
  window.__cookieReads = 0;
  Object.defineProperty(Document.prototype, 'cookie', { ...d, get() { window.__cookieReads++; return d.get.call(this); } });
  ${hide ? "Object.defineProperty(window, 'cookieStore', { value: undefined, configurable: true });" : ''}
})()`;

const contactCount = async () => (await agent(server.url, server.agentToken, '/v1/contacts?limit=200')).items.length;
const databases = (page: Page) => page.evaluate(() => indexedDB.databases().then((d) => d.map((x) => x.name)));

describe('loader and window', () => {
  it('a page view: widget.js and nothing else (the config comes baked in it); no session, contact or IndexedDB', async () => {
    const before = await contactCount();
    const color = (await agent(server.url, server.agentToken, '/v1/settings')).color;
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    const seen = record(page);
    await page.goto(host.url(), { waitUntil: 'networkidle' });
    await launcher(page).waitFor();
    expect(seen).toEqual(['GET /widget.js']);
    // the site's settings reached the launcher all the same (its colour is set from the config only)
    await poll(() => page.evaluate(() => document.getElementById('chative-root')!.style.getPropertyValue('--chative-color'))).toBe(color);
    expect(await databases(page)).toEqual([]);
    expect(await page.evaluate(() => document.cookie)).toBe(''); // no returning-visitor marker either
    expect(await contactCount()).toBe(before);
    // Intent (the pointer on the launcher) fetches the window's code, still without a session.
    const c = await centreOf(page);
    const app = page.waitForRequest((r) => isApp(r.url()));
    await page.mouse.move(c.x, c.y);
    await app;
    await page.waitForLoadState('networkidle');
    expect(seen.filter((s) => s.includes('/v1/'))).toEqual([]);
    expect(await databases(page)).toEqual([]);
    // The first interaction makes the guest.
    await page.mouse.click(c.x, c.y);
    await poll(() => contactCount()).toBe(before + 1);
    expect(await databases(page)).toEqual(['chative']);
    // the marker widget.js reads on the next page view (instead of asking indexedDB.databases())
    expect(await page.evaluate(() => document.cookie)).toBe('chative=1');
    await ctx.close();
  });

  it('one click shows the window at once while its code is still arriving; it then takes over', async () => {
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    await page.route((u) => isApp(u.href), async (route: Route) => { await held; await route.continue(); });
    await page.goto(host.url());
    await launcher(page).waitFor();
    const c = await centreOf(page);
    await page.mouse.click(c.x, c.y);
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    expect(await dialog.getByRole('status').textContent()).toBe('Loading…');
    expect(await page.getByRole('button', { name: 'Close chat' }).count()).toBe(2); // header + launcher
    release();
    await page.getByLabel('Name').waitFor(); // the pre-chat form of a new guest: no second click
    expect(await dialog.count()).toBe(1);
    await ctx.close();
  });

  it('a host Chative.open() before the window\'s code has arrived shows the shell at once, like a click', async () => {
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let asked = 0;
    await page.route((u) => isApp(u.href), async (route: Route) => { asked++; await held; await route.continue(); });
    // Called from the page's own script before load: the shell shows as soon as the launcher paints.
    await page.goto(host.url({ before: 'window.opened = Chative.open().then(() => "opened")' }));
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    expect(await dialog.getByRole('status').textContent()).toBe('Loading…');
    expect(await launcher(page).count()).toBe(0); // the launcher says "Close chat" now
    expect(asked).toBe(1);
    release();
    await page.getByLabel('Name').waitFor(); // the window took over the same slot
    expect(await dialog.count()).toBe(1);
    expect(await page.evaluate(() => (window as any).opened)).toBe('opened');
    await ctx.close();
  });

  it('a host Chative.open() after the launcher painted, then close(), moves the shell before the code arrives', async () => {
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    await page.route((u) => isApp(u.href), async (route: Route) => { await held; await route.continue(); });
    await page.goto(host.url());
    await launcher(page).waitFor();
    await page.evaluate(() => { void (window as any).Chative.open(); });
    const dialog = page.getByRole('dialog');
    await dialog.waitFor(); // while the window's code is held back
    await page.evaluate(() => { void (window as any).Chative.close(); });
    await dialog.waitFor({ state: 'detached' });
    await launcher(page).waitFor();
    await page.evaluate(() => { void (window as any).Chative.toggle(); });
    await dialog.waitFor();
    release();
    await page.getByLabel('Name').waitFor(); // the queued open, close, toggle replayed in order: open
    expect(await dialog.count()).toBe(1);
    await ctx.close();
  });

  it('a window module answered with a 500 once says so in the window and is retried', async () => {
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    const asked: string[] = [];
    await page.route((u) => isApp(u.href), (route: Route) => {
      asked.push(route.request().url());
      return asked.length === 1 ? route.fulfill({ status: 500, contentType: 'text/plain', body: 'boom' }) : route.continue();
    });
    await page.goto(host.url());
    await launcher(page).waitFor();
    const c = await centreOf(page);
    await page.mouse.click(c.x, c.y);
    await poll(() => page.getByRole('dialog').getByRole('status').textContent()).toMatch(/Could not load\. Retrying/);
    await page.getByLabel('Name').waitFor(); // the retry (a fresh URL: a failed import is cached per URL) took over
    expect(asked.length).toBe(2);
    expect(asked[1]).not.toBe(asked[0]);
    expect(await page.getByRole('dialog').count()).toBe(1);
    await ctx.close();
  });

  it('a window module that fails to load says so in the window and is retried', async () => {
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    let failures = 0;
    await page.route((u) => isApp(u.href), (route: Route) => (failures++ < 1 ? route.abort('failed') : route.continue()));
    await page.goto(host.url());
    await launcher(page).waitFor();
    const c = await centreOf(page);
    await page.mouse.click(c.x, c.y);
    await poll(() => page.getByRole('dialog').getByRole('status').textContent()).toMatch(/Could not load/);
    await page.getByLabel('Name').waitFor();
    expect(failures).toBe(2);
    await ctx.close();
  });

  // A language chunk that fails to load: widget-words.test.ts (the window and the launcher's words fall back to English).

  it('a data-site widget.js was not baked for (unknown here) fetches the window, which reads the config to report the error', async () => {
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    const seen = record(page);
    const errors: string[] = [];
    page.on('console', (m) => { if (m.type() === 'warning') errors.push(m.text()); });
    await page.goto(host.url({ site: 'nope', stub: false }));
    await poll(() => errors.length).toBe(1);
    expect(errors[0]).toContain('data-site="nope"');
    expect(seen.filter((s) => s === 'GET /v1/sites/nope/config')).toHaveLength(1);
    expect(seen.some((s) => isApp(s))).toBe(true);
    expect(seen.filter((s) => s.startsWith('POST'))).toEqual([]); // still no session
    await ctx.close();
  });

  it('an identify repeated on every page load with the same verified id and hash is answered from storage', async () => {
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    const id = 'cust-repeat-1';
    const before = `window.got = Chative.identify('${id}', { userHash: '${userHash(server.secret, id)}', name: 'Ria Peat' })`;
    await page.goto(host.url({ before }));
    expect(await page.evaluate(() => (window as any).got)).toMatchObject({ type: 'customer', customerId: id });
    const seen = record(page);
    await page.reload({ waitUntil: 'networkidle' });
    const again = await page.evaluate(() => (window as any).got);
    expect(again).toMatchObject({ type: 'customer', customerId: id, name: 'Ria Peat' });
    await page.waitForLoadState('networkidle');
    expect(seen.filter((s) => s.includes('/v1/'))).toEqual([]);
    // A different hash is not answered from storage: it goes to the server and is refused there.
    const wrong = await page.evaluate((h) => (window as any).Chative.identify('cust-repeat-1', { userHash: h }).then(() => 'resolved', (e: any) => e.code), 'f'.repeat(64));
    expect(wrong).toBe('identity_verification_failed');
    expect((await contactIn(page)).type).toBe('customer');
    await ctx.close();
  });
  it('a returning visitor who has chatted: the next page view (no host call) resumes by itself and a reply raises the badge', async () => {
    const ctx = await browser.newContext();
    const answered: number[] = [];
    ctx.on('response', (r) => { if (new URL(r.url()).pathname === '/v1/stream') answered.push(r.status()); });
    const page = await ctx.newPage();
    await page.goto(host.url({ embed: true, before: `Chative.update({ name: 'Re Turner', email: 'returner@example.com' })` }));
    const contact = await contactIn(page);
    const c = await centreOf(page);
    await page.mouse.click(c.x, c.y);
    await sendViaComposer(page, 'hello on my first visit');
    await poll(() => page.locator('[data-seq]').count()).toBe(1);
    const conv = await conversationOf(server.url, server.agentToken, contact.id);
    await poll(() => answered).toEqual([200]);
    // The next page calls nothing: only the marker the window left loads the window. widget.js asks the Cookie
    // Store API for it and never reads document.cookie, whose first read on a page is a synchronous wait on the browser.
    await page.close();
    const next = await ctx.newPage();
    await next.addInitScript(COOKIE_READS(false));
    await next.goto(host.url({ embed: true }));
    await poll(() => answered).toEqual([200, 200]); // the server subscribes before it answers: a reply cannot be missed
    expect(await next.evaluate(() => (window as any).__cookieReads)).toBe(0);
    await agent(server.url, server.agentToken, `/v1/conversations/${conv}/messages`, { method: 'POST', body: { text: 'a reply between pages' } });
    await poll(() => next.getByRole('button', { name: /Open chat/ }).textContent(), { timeout: 20_000 }).toContain('1');
    // A browser without the Cookie Store API (older Safari and Firefox) reads document.cookie and resumes the same way.
    await next.close();
    const old = await ctx.newPage();
    await old.addInitScript(COOKIE_READS(true));
    await old.goto(host.url({ embed: true }));
    await poll(() => answered).toEqual([200, 200, 200]);
    expect(await old.evaluate(() => (window as any).__cookieReads)).toBeGreaterThan(0);
    await ctx.close();
  });

  it('the documented snippet: widget.js is requested after the page\'s load; early calls resolve; one click opens the chat', async () => {
    /** When the page's load event started and when widget.js was asked for, on the page's own clock. */
    const timing = (page: Page) => page.evaluate(() => ({
      load: (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming).loadEventStart,
      script: performance.getEntriesByType('resource').find((e) => /\/widget\.js$/.test(e.name))!.startTime,
    }));
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    const seen = record(page);
    await page.goto(host.url({ embed: true, before: 'window.early = Chative.update({ name: "Sni Pet", email: "snippet@example.com" }).then((c) => c.type)' }));
    await launcher(page).waitFor();
    const t = await timing(page);
    expect(t.load).toBeGreaterThan(0);
    expect(t.script).toBeGreaterThanOrEqual(t.load); // the widget never held the page's load
    expect(seen[0]).toBe('GET /widget.js'); // found its server origin and site id as an inserted script
    expect(await page.evaluate(() => (window as any).early)).toBe('lead'); // the call queued before widget.js existed
    const c = await centreOf(page);
    await page.mouse.click(c.x, c.y);
    await page.getByRole('textbox', { name: 'Message' }).waitFor(); // one click: the chat of the lead it made
    // The plain async tag, still supported: the page's load waits for widget.js (requested before load starts).
    const tagged = await ctx.newPage();
    await tagged.goto(host.url());
    await launcher(tagged).waitFor();
    const u = await timing(tagged);
    expect(u.script).toBeLessThan(u.load);
    await ctx.close();
  });
});
