// Ten tabs of one browser: one contact, one stream (Web Lock), all tabs in step.
import { describe, it, expect } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { type RunningServer } from '../../server/helpers/spawn-server';
import { agent, conversationOf, contactIn, sendViaComposer, poll, type HostSite, useWidgetStack } from './host-page';
import { openStream } from '../../server/helpers/sse';

let server: RunningServer;
let host: HostSite;
let browser: Browser;

useWidgetStack((s) => ({ server, host, browser } = s));

describe('ten tabs', () => {
  it('share one contact, hold one stream, and all show replies and each other’s messages', async () => {
    const ctx = await browser.newContext();
    const streams: string[] = [];
    ctx.on('request', (r) => { if (r.url() === server.url + '/v1/stream') streams.push(r.url()); });
    const pages: Page[] = [];
    for (let i = 0; i < 10; i++) {
      const page = await ctx.newPage();
      await page.goto(host.url({ before: i === 0 ? `Chative.update({ name: 'Tess Tabs', email: 'tess@example.com' })` : '' }));
      pages.push(page);
    }
    const ids = new Set<string>();
    for (const page of pages) ids.add((await contactIn(page)).id);
    expect(ids.size).toBe(1);
    const [contactId] = [...ids];
    await poll(async () => (await contactIn(pages[9])).type).toBe('lead');
    for (const page of pages) await page.getByRole('button', { name: 'Open chat' }).click();
    await sendViaComposer(pages[3], 'sent from tab 4');
    const conv = await poll(() => conversationOf(server.url, server.agentToken, contactId).catch(() => null)).not.toBeNull()
      .then(() => conversationOf(server.url, server.agentToken, contactId));
    await agent(server.url, server.agentToken, `/v1/conversations/${conv}/messages`, { method: 'POST', body: { text: 'reply for every tab' } });
    for (const page of pages) {
      await poll(() => page.getByRole('log').textContent(), { timeout: 20_000 }).toContain('reply for every tab');
      expect(await page.getByRole('log').textContent()).toContain('sent from tab 4');
    }
    expect(streams.length).toBe(1); // one live connection for ten tabs
    // The streaming tab closes: another takes the lock and replies keep arriving.
    await pages[0].close();
    await agent(server.url, server.agentToken, `/v1/conversations/${conv}/messages`, { method: 'POST', body: { text: 'after the first tab closed' } });
    for (const page of pages.slice(1)) {
      await poll(() => page.getByRole('log').textContent(), { timeout: 20_000 }).toContain('after the first tab closed');
    }
    await ctx.close();
  });

  it('typing crosses tabs: the agent typing shows in every tab, the visitor typing in a tab without the stream reaches the console', async () => {
    const ctx = await browser.newContext();
    const streams: string[] = [];
    ctx.on('request', (r) => { if (r.url() === server.url + '/v1/stream') streams.push(r.url()); });
    const first = await ctx.newPage();
    await first.goto(host.url({ before: `Chative.update({ name: 'Tom Tabs', email: 'tom.tabs@example.com' })` }));
    const contact = await contactIn(first);
    const second = await ctx.newPage();
    await second.goto(host.url());
    expect((await contactIn(second)).id).toBe(contact.id);
    for (const page of [first, second]) await page.getByRole('button', { name: 'Open chat' }).click();
    await sendViaComposer(first, 'hello from tab 1');
    await poll(() => second.getByRole('log').textContent(), { timeout: 20_000 }).toContain('hello from tab 1'); // both tabs live
    expect(streams.length).toBe(1); // one tab streams, the other hears it over the tab bus
    const conv = await conversationOf(server.url, server.agentToken, contact.id);
    await agent(server.url, server.agentToken, `/v1/conversations/${conv}/typing`, { method: 'POST' });
    for (const page of [first, second]) await poll(() => page.locator('.typing').count()).toBe(1);
    const consoleStream = openStream(server.url + '/v1/agent/stream', { authorization: 'Bearer ' + server.agentToken });
    try {
      await poll(() => consoleStream.status).toBe(200);
      await second.getByRole('textbox', { name: 'Message' }).pressSequentially('typed in tab 2');
      await consoleStream.until((evs) => evs.some((e) => e.event === 'typing' && e.data.contactId === contact.id && e.data.author === 'visitor'));
    } finally {
      await consoleStream.close();
    }
    await ctx.close();
  });
});
