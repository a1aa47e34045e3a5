// The widget on phones: real touch taps at each element's centre point (element.click() would hide an
// overlap — the round launcher used to sit on the Send button, so the tap closed the chat instead).
import { describe, it, expect, afterEach } from 'vitest';
import { mkdirSync } from 'node:fs';
import type { Browser, Locator, Page } from 'playwright-core';
import type { RunningServer } from '../../server/helpers/spawn-server';
import { useWidgetStack, contactIn, conversationOf, agent, poll, type HostSite } from './host-page';

let server: RunningServer;
let host: HostSite;
let browser: Browser;
useWidgetStack((s) => ({ server, host, browser } = s));
const tmp = new URL('../../.tmp/', import.meta.url).pathname;
mkdirSync(tmp, { recursive: true });
let pageErrors: string[] = [];
afterEach(() => {
  const errors = pageErrors;
  pageErrors = [];
  expect(errors).toEqual([]);
});

const VIEWPORT_META = '<meta name="viewport" content="width=device-width, initial-scale=1">';

/** A finger on the element's centre point, wherever the element is painted. */
async function tap(page: Page, target: Locator) {
  const b = await target.boundingBox();
  if (!b) throw new Error('not visible');
  await page.touchscreen.tap(b.x + b.width / 2, b.y + b.height / 2);
}

/** What the finger really lands on at the element's centre: the topmost element inside the shadow root. */
const hitAtCentre = (target: Locator) => target.evaluate((el) => {
  const r = el.getBoundingClientRect();
  const hit = (el.getRootNode() as ShadowRoot).elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
  return !!hit && (hit === el || el.contains(hit));
});

/** Wait for the window's opening animation to end (boxes move while it runs). */
const settled = (target: Locator) => target.evaluate((el) => Promise.all(el.getAnimations({ subtree: true }).map((a) => a.finished)));

describe('widget on phones (touch)', () => {
  for (const vp of [{ width: 375, height: 667 }, { width: 390, height: 844 }]) {
    it(`${vp.width}×${vp.height}: tap the launcher, type, tap Send — the message is sent and the chat stays open`, async () => {
      const ctx = await browser.newContext({ viewport: vp, hasTouch: true, isMobile: true });
      const page = await ctx.newPage();
      page.on('pageerror', (e) => pageErrors.push(e.message));
      await page.goto(host.url({ head: VIEWPORT_META, before: `Chative.update({ name: 'Phone Visitor', email: 'phone${vp.width}@example.com' })` }));
      const contact = await contactIn(page);
      await tap(page, page.getByRole('button', { name: 'Open chat' }));
      const box = page.getByRole('textbox', { name: 'Message' });
      await box.waitFor();
      await settled(page.getByRole('dialog'));
      // Full screen, close button in the header, the launcher out of the way.
      expect(await page.getByRole('dialog').boundingBox()).toEqual({ x: 0, y: 0, ...vp });
      const send = page.getByRole('button', { name: 'Send' });
      const closeBtn = page.getByRole('dialog').getByRole('button', { name: 'Close chat' });
      expect(await hitAtCentre(send)).toBe(true);
      expect(await hitAtCentre(box)).toBe(true);
      expect(await hitAtCentre(closeBtn)).toBe(true);
      // Tap targets ≥ 44 px, inputs ≥ 16 px (no zoom on iOS).
      for (const b of [send, closeBtn]) {
        const r = (await b.boundingBox())!;
        expect(Math.min(r.width, r.height)).toBeGreaterThanOrEqual(44);
      }
      expect(parseFloat(await box.evaluate((el) => getComputedStyle(el).fontSize))).toBeGreaterThanOrEqual(16);

      await tap(page, box);
      await page.keyboard.type('Sent from a phone');
      await tap(page, send);
      await poll(() => page.locator('[data-seq]').count()).toBe(1);
      expect(await page.getByRole('dialog').count()).toBe(1); // the tap did not close the chat
      const conv = await conversationOf(server.url, server.agentToken, contact.id);
      const msgs = await agent(server.url, server.agentToken, `/v1/conversations/${conv}/messages`);
      expect(msgs.items.map((m: { text: string }) => m.text)).toEqual(['Sent from a phone']);
      await page.screenshot({ path: `${tmp}widget-phone-${vp.width}.png` });

      // The header's close button closes; the launcher comes back.
      await tap(page, closeBtn);
      await poll(() => page.getByRole('dialog').count()).toBe(0);
      expect(await hitAtCentre(page.getByRole('button', { name: 'Open chat' }))).toBe(true);
      await ctx.close();
    });
  }

  it('the window respects safe-area insets and follows the visual viewport (the on-screen keyboard)', async () => {
    const ctx = await browser.newContext({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });
    const page = await ctx.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(host.url({ head: VIEWPORT_META, before: `Chative.update({ name: 'Kb Visitor', email: 'kb@example.com' })` }));
    await contactIn(page);
    await tap(page, page.getByRole('button', { name: 'Open chat' }));
    await page.getByRole('textbox', { name: 'Message' }).waitFor();
    const css = await page.evaluate(() => document.getElementById('chative-root')!.shadowRoot!.adoptedStyleSheets
      .flatMap((s) => Array.from(s.cssRules, (r) => r.cssText)).join('\n'));
    for (const side of ['top', 'bottom']) expect(css).toContain('env(safe-area-inset-' + side);
    // A keyboard takes the lower 300 px: the visual viewport shrinks, the composer stays above it.
    await page.evaluate(() => {
      const vv = window.visualViewport!;
      Object.defineProperty(vv, 'height', { configurable: true, get: () => 544 });
      vv.dispatchEvent(new Event('resize'));
    });
    await poll(async () => {
      const b = await page.locator('.composer').boundingBox();
      return b ? Math.round(b.y + b.height) : -1;
    }).toBe(544);
    await ctx.close();
  });
});

describe('widget on desktops (mouse)', () => {
  for (const vp of [{ width: 1280, height: 800 }, { width: 1680, height: 1050 }]) {
    it(`${vp.width}×${vp.height}: the launcher stays clear of the window; Send is clicked at its centre`, async () => {
      const ctx = await browser.newContext({ viewport: vp });
      const page = await ctx.newPage();
      page.on('pageerror', (e) => pageErrors.push(e.message));
      await page.goto(host.url({ before: `Chative.update({ name: 'Desk Visitor', email: 'desk${vp.width}@example.com' })` }));
      await contactIn(page);
      const launcher = page.getByRole('button', { name: 'Open chat' });
      const l = (await launcher.boundingBox())!;
      await page.mouse.click(l.x + l.width / 2, l.y + l.height / 2);
      const dialog = page.getByRole('dialog');
      await page.getByRole('textbox', { name: 'Message' }).waitFor();
      await settled(dialog);
      const w = (await dialog.boundingBox())!;
      const b = (await page.getByRole('button', { name: 'Close chat' }).last().boundingBox())!; // the launcher, now "Close chat"
      expect(w.y + w.height).toBeLessThanOrEqual(b.y); // the window ends above the launcher
      const send = page.getByRole('button', { name: 'Send' });
      expect(await hitAtCentre(send)).toBe(true);
      await page.getByRole('textbox', { name: 'Message' }).fill('Sent from a desk');
      const s = (await send.boundingBox())!;
      await page.mouse.click(s.x + s.width / 2, s.y + s.height / 2);
      await poll(() => page.locator('[data-seq]').count()).toBe(1);
      await page.screenshot({ path: `${tmp}widget-desktop-${vp.width}.png` });
      await ctx.close();
    });
  }
});
