// A visitor who never chats holds no live connection: the stream opens with the chat, a message, or
// a conversation that already exists (a returning visitor then gets agent replies and the unread badge
// without opening the chat).
import { describe, it, expect } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { type RunningServer } from '../../server/helpers/spawn-server';
import { agent, conversationOf, contactIn, sendViaComposer, poll, type HostSite, useWidgetStack } from './host-page';

let server: RunningServer;
let host: HostSite;
let browser: Browser;

useWidgetStack((s) => ({ server, host, browser } = s));

/** Whether the widget asked to stream: its Web Lock `chative:<site>:stream` is held or queued (client/stream.ts). */
const wantsStream = (page: Page) => page.evaluate(async () => {
  const q = await navigator.locks.query();
  return [...(q.held ?? []), ...(q.pending ?? [])].some((l) => l.name?.endsWith(':stream'));
});

describe('live stream on demand', () => {
  it('opens no stream for a visitor who has not chatted; opening the chat opens it', async () => {
    const ctx = await browser.newContext();
    const streams: string[] = [];
    ctx.on('request', (r) => { if (new URL(r.url()).pathname === '/v1/stream') streams.push(r.url()); });
    const page = await ctx.newPage();
    await page.goto(host.url());
    // a new guest: the stream would be asked for in the same task that settles the session
    const contact = await contactIn(page);
    expect(contact.type).toBe('guest');
    expect(await wantsStream(page)).toBe(false);
    expect(streams).toHaveLength(0);
    // a returning guest without a conversation: the stream would be asked for once the history is in
    const history = page.waitForEvent('requestfinished', (r) => new URL(r.url()).pathname === '/v1/messages');
    await page.reload();
    expect((await contactIn(page)).id).toBe(contact.id);
    await history;
    expect(await wantsStream(page)).toBe(false);
    expect(streams).toHaveLength(0);
    await page.getByRole('button', { name: 'Open chat' }).click();
    await poll(() => streams.length).toBe(1);
    expect(await wantsStream(page)).toBe(true); // the probe above can see a stream
    await ctx.close();
  });

  it('a returning visitor with a conversation streams at once: a reply raises the badge on a closed chat', async () => {
    const ctx = await browser.newContext();
    const streams: string[] = [];
    const answered: number[] = [];
    ctx.on('request', (r) => { if (new URL(r.url()).pathname === '/v1/stream') streams.push(r.url()); });
    ctx.on('response', (r) => { if (new URL(r.url()).pathname === '/v1/stream') answered.push(r.status()); });
    const page = await ctx.newPage();
    await page.goto(host.url({ before: `Chative.update({ name: 'Lazy Lou', email: 'lou@example.com' })` }));
    const contact = await contactIn(page);
    await page.getByRole('button', { name: 'Open chat' }).click();
    await sendViaComposer(page, 'hello once');
    await poll(() => page.locator('[data-seq]').count()).toBe(1);
    const conv = await conversationOf(server.url, server.agentToken, contact.id);
    await page.reload(); // the chat starts closed
    await poll(() => streams.length).toBe(2);
    // the server subscribes before it answers (routes/stream.ts): once answered, a reply cannot be missed
    await poll(() => answered).toEqual([200, 200]);
    await agent(server.url, server.agentToken, `/v1/conversations/${conv}/messages`, { method: 'POST', body: { text: 'a reply while closed' } });
    await poll(() => page.getByRole('button', { name: /Open chat/ }).textContent()).toContain('1');
    await ctx.close();
  });
});
