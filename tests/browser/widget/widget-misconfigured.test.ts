// Issue 9 item 5: a misconfigured site never fails silently. On an origin the server does not allow, or
// with a data-site the server does not know, the widget emits `error` within 5 s of the first call, warns
// once in the browser console with what to fix, rejects getContact()/identify() instead of hanging, and a
// message typed in the window shows "Not sent." instead of "Sending…" for ever.
import { describe, it, expect, afterAll, beforeAll } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import { startServer, type RunningServer } from '../../server/helpers/spawn-server';
import { startHostSite, launchChromium, poll, type HostSite } from './host-page';

let browser: Browser;
beforeAll(async () => { browser = await launchChromium(); });
afterAll(async () => { await browser?.close(); });

/** Tap a control at its centre point, as a person would. */
async function tap(page: Page, target: Locator) {
  const box = (await target.boundingBox())!;
  await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
}

// Registered before widget.js runs (the stub queues it); getContact is the host's first call.
const BEFORE = `window.out = { errors: [] };
  Chative.on('error', (e) => out.errors.push({ code: e.code, message: e.message, isError: e instanceof Error }));
  const t0 = performance.now();
  Chative.getContact().then(() => out.contact = 'resolved', (e) => { out.contact = e.code; out.ms = performance.now() - t0; });`;

async function misconfiguredPage(host: HostSite, site?: string) {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  const warnings: string[] = [];
  const pageErrors: string[] = [];
  page.on('console', (m) => { if (m.type() === 'warning' && m.text().startsWith('Chative:')) warnings.push(m.text()); });
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.goto(host.url({ before: BEFORE, site }));
  await page.waitForFunction(() => (window as any).out.contact, undefined, { timeout: 15_000 });
  return { ctx, page, warnings, pageErrors };
}

async function expectStoppedAndSaid(page: Page, code: string) {
  const out = await page.evaluate(() => (window as any).out);
  expect(out.contact).toBe(code);
  expect(out.ms).toBeLessThan(5000); // CONTRACT §3's bound, from the first call
  expect(out.errors).toEqual([{ code, message: expect.any(String), isError: true }]);
  // identify and update reject at once too, with the same code
  const calls = await page.evaluate(() => Promise.all([
    (window as any).Chative.identify('cust-1', { userHash: '0'.repeat(64) }).then(() => 'resolved', (e: any) => e.code),
    (window as any).Chative.update({ name: 'Ann', email: 'ann@example.com' }).then(() => 'resolved', (e: any) => e.code),
  ]));
  expect(calls).toEqual([code, code]);
  // the window says it, and a message shows as not sent
  await tap(page, page.getByRole('button', { name: 'Open chat' }));
  await poll(() => page.getByRole('alert').textContent()).toMatch(/not available/);
  const box = page.getByRole('textbox', { name: 'Message' });
  await box.fill('is anyone there?');
  await box.press('Enter');
  await poll(() => page.locator('[data-pending="failed"]').textContent()).toContain('Not sent.');
  // and looks it: the failed colours, not the sent bubble's (`.failed` alone once lost to `.msg.visitor` on specificity)
  expect(await page.locator('[data-pending="failed"]').evaluate((e) => getComputedStyle(e).backgroundColor)).toBe('rgb(253, 232, 231)');
  expect(await page.locator('[data-pending="pending"]').count()).toBe(0);
}

describe('an origin the server does not allow', () => {
  let server: RunningServer;
  let host: HostSite;
  beforeAll(async () => {
    server = await startServer({ env: { CHATIVE_ALLOWED_ORIGINS: 'https://shop.example' } });
    host = await startHostSite(server.url); // http://localhost:<port>: not in the list
  });
  afterAll(async () => { await host?.close(); await server?.stop(); });

  it('emits origin_not_allowed, warns once with the fix, rejects calls and shows messages as not sent', async () => {
    const { ctx, page, warnings, pageErrors } = await misconfiguredPage(host);
    await expectStoppedAndSaid(page, 'origin_not_allowed');
    expect(warnings).toEqual([expect.stringContaining(`Add ${host.origin} to the console's Settings -> Widget -> Allowed origins`)]);
    expect(pageErrors).toEqual([]);
    // the server said it once in its log, however many requests the page made
    const lines = server.output().split('\n').filter((l) => l.includes('widget origin refused') && l.includes(JSON.stringify(host.origin)));
    expect(lines).toHaveLength(1);
    await ctx.close();
  });
});

describe('a data-site the server does not know', () => {
  let server: RunningServer;
  let host: HostSite;
  beforeAll(async () => {
    server = await startServer();
    host = await startHostSite(server.url);
  });
  afterAll(async () => { await host?.close(); await server?.stop(); });

  it('emits unknown_site, warns once naming the attribute, rejects calls and shows messages as not sent', async () => {
    const { ctx, page, warnings, pageErrors } = await misconfiguredPage(host, 'no-such-site');
    await expectStoppedAndSaid(page, 'unknown_site');
    expect(warnings).toEqual([expect.stringMatching(/data-site="no-such-site" is not a site on .*Check the data-site attribute/)]);
    expect(pageErrors).toEqual([]);
    await ctx.close();
  });
});
