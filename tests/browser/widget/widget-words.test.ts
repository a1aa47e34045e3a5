// The launcher's words (issue 10): the built loader carries English only; the server bakes the visitor's language's
// words into widget.js by Accept-Language, and the window hands its own language's (page lang first) to the launcher
// and shell once it runs. Real Chromium against the built bundle and the real server.
import { describe, it, expect } from 'vitest';
import type { Browser, Page, Request, Route } from 'playwright-core';
import type { RunningServer } from '../../server/helpers/spawn-server';
import { useWidgetStack, poll, type HostSite } from './host-page';

let server: RunningServer;
let host: HostSite;
let browser: Browser;
useWidgetStack((s) => ({ server, host, browser } = s));

/** Every request the page makes to the chat server, as its path. */
function record(page: Page) {
  const seen: string[] = [];
  page.on('request', (r: Request) => { if (r.url().startsWith(server.url)) seen.push(new URL(r.url()).pathname); });
  return seen;
}

async function tapCentre(page: Page, name: string) {
  const b = (await page.getByRole('button', { name, exact: true }).boundingBox())!;
  await page.mouse.click(b.x + b.width / 2, b.y + b.height / 2);
}

const launcherLabel = (page: Page) => page.evaluate(() => document.getElementById('chative-root')!.shadowRoot!.querySelector('.launcher')!.getAttribute('aria-label'));

describe('launcher words', () => {
  it('a French browser gets a French launcher from widget.js alone: before any intent, no window code fetched', async () => {
    const ctx = await browser.newContext({ locale: 'fr-FR' });
    const page = await ctx.newPage();
    const seen = record(page);
    await page.goto(host.url({ lang: 'fr' }), { waitUntil: 'networkidle' });
    await page.getByRole('button', { name: 'Ouvrir le chat', exact: true }).waitFor();
    expect(seen).toEqual(['/widget.js']); // the words came baked in: no window module, no language chunk
    // once opened, the window (French too: the page's lang) keeps the same words
    await tapCentre(page, 'Ouvrir le chat');
    await page.getByRole('button', { name: 'Commencer la discussion' }).waitFor(); // the pre-chat form, in French
    expect(await launcherLabel(page)).toBe('Fermer le chat');
    expect(seen.some((p) => /\/widget\/fr-[\w-]+\.js$/.test(p))).toBe(true);
    await ctx.close();
  });

  it('a German page in an English browser: English launcher until the window runs, then German words throughout', async () => {
    const ctx = await browser.newContext({ locale: 'en-US' });
    const page = await ctx.newPage();
    await page.goto(host.url({ lang: 'de' }));
    await page.getByRole('button', { name: 'Open chat', exact: true }).waitFor(); // the server baked none: English
    await tapCentre(page, 'Open chat');
    await page.getByRole('button', { name: 'Chat starten' }).waitFor(); // the window (its form) picked the page's language
    expect(await launcherLabel(page)).toBe('Chat schließen');
    expect(await page.getByRole('dialog').getByRole('button', { name: 'Chat schließen' }).count()).toBe(1);
    await page.keyboard.press('Escape');
    await poll(() => launcherLabel(page)).toBe('Chat öffnen');
    await ctx.close();
  });

  it('an English page in a French browser: French words from widget.js, English once the window runs', async () => {
    const ctx = await browser.newContext({ locale: 'fr-FR' });
    const page = await ctx.newPage();
    await page.goto(host.url({ lang: 'en' }));
    await tapCentre(page, 'Ouvrir le chat');
    await page.getByRole('button', { name: 'Start chatting' }).waitFor();
    expect(await launcherLabel(page)).toBe('Close chat');
    await ctx.close();
  });

  it('a French language chunk that fails to load: the window falls back to English, and so do the launcher\'s words', async () => {
    const ctx = await browser.newContext({ locale: 'fr-FR' });
    const page = await ctx.newPage();
    await page.route((u) => /\/widget\/fr-[\w-]+\.js/.test(u.href), (route: Route) => route.abort('failed'));
    await page.goto(host.url({ lang: 'fr' }));
    await tapCentre(page, 'Ouvrir le chat');
    await page.getByRole('button', { name: 'Start chatting' }).waitFor();
    expect(await launcherLabel(page)).toBe('Close chat');
    await ctx.close();
  });

  it('the real server answers a 5 KB or garbage Accept-Language with the English widget.js', async () => {
    const english = await (await fetch(server.url + '/widget.js')).text();
    for (const header of ['x'.repeat(5000), '*', 'xx', 'q=abc', 'fr;q=abc']) {
      const r = await fetch(server.url + '/widget.js', { headers: { 'accept-language': header } });
      expect(r.status, header.slice(0, 20)).toBe(200);
      expect(await r.text(), header.slice(0, 20)).toBe(english);
    }
    expect(english).not.toContain('Ouvrir le chat');
  });
});
