// 50 messages typed offline, with a reload in the middle, arrive exactly once and in order.
import { describe, it, expect } from 'vitest';
import type { Browser } from 'playwright-core';
import { type RunningServer } from '../../server/helpers/spawn-server';
import { agent, conversationOf, contactIn, sendViaComposer, poll, type HostSite, useWidgetStack } from './host-page';

let server: RunningServer;
let host: HostSite;
let browser: Browser;

useWidgetStack((s) => ({ server, host, browser } = s));

describe('outbox in Chromium', () => {
  it('50 offline messages with a reload in the middle arrive exactly once, in order', async () => {
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    await page.goto(host.url({ before: `Chative.update({ name: 'Otto Offline', email: 'otto@example.com' })` }));
    await poll(async () => (await contactIn(page)).type).toBe('lead');
    const contact = await contactIn(page);
    await page.getByRole('button', { name: 'Open chat' }).click();
    await page.getByRole('textbox', { name: 'Message' }).waitFor();

    await ctx.setOffline(true);
    const text = (i: number) => 'offline message ' + String(i).padStart(2, '0');
    for (let i = 1; i <= 25; i++) await sendViaComposer(page, text(i));
    await poll(() => page.locator('[data-pending="pending"]').count()).toBe(25);

    // Reload: the host page and widget.js load, but the chat API stays unreachable.
    const api = (url: URL) => url.origin === server.url && url.pathname.startsWith('/v1/');
    await page.route(api, (r) => r.abort('internetdisconnected'));
    await ctx.setOffline(false);
    // A returning visitor with queued messages: widget.js fetches the window's module after load by itself.
    const windowModule = page.waitForResponse((r) => /\/widget\/app-[\w-]+\.js/.test(r.url()));
    await page.reload();
    await windowModule;
    await ctx.setOffline(true);
    await page.unroute(api);
    await page.getByRole('button', { name: 'Open chat' }).click();
    await poll(() => page.locator('[data-pending="pending"]').count()).toBe(25);
    for (let i = 26; i <= 50; i++) await sendViaComposer(page, text(i));
    await poll(() => page.locator('[data-pending="pending"]').count()).toBe(50);

    await ctx.setOffline(false);
    await poll(() => page.locator('[data-seq]').count(), { timeout: 30_000 }).toBe(50);
    expect(await page.locator('[data-pending]').count()).toBe(0);
    const conv = await conversationOf(server.url, server.agentToken, contact.id);
    const messages = await agent(server.url, server.agentToken, `/v1/conversations/${conv}/messages?limit=200`);
    expect(messages.items.map((m: { text: string }) => m.text)).toEqual(Array.from({ length: 50 }, (_, i) => text(i + 1)));
    expect(await page.locator('[data-seq]').allTextContents()).toEqual(Array.from({ length: 50 }, (_, i) => expect.stringContaining(text(i + 1))));
    await ctx.close();
  });
});
