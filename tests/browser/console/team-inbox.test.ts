// Issue 11 inbox: the list column at 375, 1280 and 1680 px shows every row's whole name (wrapped at word breaks,
// never cut mid-word), its time and unread count; the Team screen at phone width; notifications asked for only
// on a click, then shown for a new conversation; the sound choice kept.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launch, screenshot, seriousViolations, signedIn, startServer, tap, visitor, type Server } from './helpers';

let server: Server;
let browser: Browser;
const NAMES = ['Alexandra Konstantinopoulou-Whitmore', 'Bartholomew Featherstonehaugh', 'Jo Li', 'Maximiliano Rodríguez de la Fuente'];

beforeAll(async () => {
  server = await startServer();
  browser = await launch();
  for (const n of NAMES) await visitor(server, { name: n, email: n.split(' ')[0].toLowerCase() + '@example.com', message: 'Hello, I need help with my order number 12345 please' });
});
afterAll(async () => { await browser?.close(); await server?.stop(); });

/** Each row's parts measured against the list column: what sticks out of it, or is cut, is hidden from the agent. */
async function rowProblems(page: Page) {
  return page.evaluate(() => {
    const column = document.querySelector('.inbox-list')!.getBoundingClientRect();
    const out: string[] = [];
    for (const row of document.querySelectorAll<HTMLElement>('.conv')) {
      const name = row.querySelector<HTMLElement>('.conv-name')!;
      const label = name.textContent;
      for (const sel of ['.conv-time', '.unread-badge', '.conv-name']) {
        const r = row.querySelector(sel)?.getBoundingClientRect();
        if (!r) { out.push(`${label}: no ${sel}`); continue; }
        if (r.left < column.left - 0.5 || r.right > column.right + 0.5 || r.width === 0) out.push(`${label}: ${sel} outside the column`);
      }
      if (name.scrollWidth > name.clientWidth + 1 || name.scrollHeight > name.clientHeight + 1) out.push(`${label}: name cut`);
      // a word broken across lines: a word (spaces and hyphens are break points) laid out wider than its box
      const words = label!.split(/\s+|(?<=-)/);
      const probe = document.createElement('span');
      probe.style.cssText = 'position:absolute;visibility:hidden;white-space:nowrap';
      name.appendChild(probe);
      for (const w of words) { probe.textContent = w; if (probe.getBoundingClientRect().width > name.clientWidth + 1) out.push(`${label}: "${w}" wider than the column`); }
      probe.remove();
    }
    return out;
  });
}

describe('inbox list layout', () => {
  for (const width of [375, 1280, 1680]) {
    it(`at ${width} px every row shows its whole name, its time and its unread count`, async () => {
      const page = await signedIn(browser, server, '#/inbox', { width, height: 900 });
      await page.getByRole('list', { name: 'Conversations' }).waitFor();
      await expect.poll(() => page.locator('.conv').count()).toBe(NAMES.length);
      await screenshot(page, `inbox-list-${width}`);
      expect(await rowProblems(page)).toEqual([]);
      for (const n of NAMES) expect(await page.locator('.conv-name', { hasText: n }).count()).toBe(1);
      await page.close();
    });
  }
});

describe('team screens at phone width', () => {
  it('Team and API tokens are usable at 375 px and axe-clean', async () => {
    const page = await signedIn(browser, server, '#/team', { width: 375, height: 800 });
    await page.getByRole('heading', { level: 1, name: 'Team' }).waitFor();
    await page.getByLabel('Name', { exact: true }).fill('Pat Phone');
    await page.getByLabel('Email', { exact: true }).fill('pat@example.com');
    await tap(page, page.getByRole('button', { name: 'Create invite link' }));
    await page.getByLabel('Invite link for Pat Phone').waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'team-phone');
    await page.evaluate(() => { location.hash = '#/settings/api-tokens'; });
    await page.getByRole('heading', { level: 1, name: 'API tokens' }).waitFor();
    await page.waitForFunction(() => !document.querySelector('.loading'));
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'api-tokens-phone');
    await page.close();
  });
});

describe('notifications', () => {
  it('asks for desktop notifications only on a click, then notifies a new conversation; the sound choice is kept', async () => {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 860 } });
    // record what the page asks of the real Notification API (the calls still go through)
    await ctx.addInitScript(() => {
      const Real = window.Notification;
      const log: { asked: number; shown: { title: string; body?: string }[] } = { asked: 0, shown: [] };
      (window as any).__notify = log;
      const ask = Real.requestPermission.bind(Real);
      class Recorded extends Real {
        constructor(title: string, opts?: NotificationOptions) { super(title, opts); log.shown.push({ title, body: opts?.body }); }
        static override requestPermission = () => { log.asked++; return ask(); };
      }
      window.Notification = Recorded as any;
    });
    const page = await ctx.newPage();
    await page.goto(`${server.url}/console/#/profile`);
    await page.getByText('Use an API token instead').click();
    await page.getByLabel('API token or agent token').fill(server.agentToken);
    await page.getByRole('button', { name: 'Use token' }).click();
    const turnOn = page.getByRole('button', { name: 'Turn on desktop notifications' });
    await turnOn.waitFor();
    expect(await page.evaluate(() => (window as any).__notify.asked)).toBe(0); // never on load
    expect(await seriousViolations(page)).toEqual([]);
    await ctx.grantPermissions(['notifications'], { origin: server.url }); // the person says yes to the prompt
    await tap(page, turnOn);
    await page.getByRole('switch', { name: 'Desktop notifications' }).waitFor();
    expect(await page.evaluate(() => (window as any).__notify.asked)).toBe(1);
    expect(await page.getByRole('switch', { name: 'Desktop notifications' }).getAttribute('aria-checked')).toBe('true');
    await tap(page, page.getByRole('switch', { name: 'Play a sound' }));
    expect(await page.getByRole('switch', { name: 'Play a sound' }).getAttribute('aria-checked')).toBe('true');

    // the stream is live (the sidebar says so) before the visitor writes
    await page.getByRole('status').filter({ hasText: 'Live' }).waitFor();
    await visitor(server, { name: 'Nora New', message: 'Hi, anyone there?' });
    await expect.poll(() => page.evaluate(() => (window as any).__notify.shown)).toEqual([{ title: 'New conversation: Nora New', body: 'Hi, anyone there?' }]);

    await page.reload();
    await page.getByRole('switch', { name: 'Play a sound' }).waitFor();
    expect(await page.getByRole('switch', { name: 'Play a sound' }).getAttribute('aria-checked')).toBe('true');
    await ctx.close();
  });
});
