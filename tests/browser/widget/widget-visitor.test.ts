// What visitors expect from a chat: their language (one chunk, fetched on demand), the greeting in it,
// message times written their way, who answered (agentName), dark mode, and a count in the page title
// for replies that arrive while the tab is hidden.
import { describe, it, expect } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { RunningServer } from '../../server/helpers/spawn-server';
import { useWidgetStack, agent, contactIn, conversationOf, sendViaComposer, poll, type HostSite } from './host-page';
import { openStream } from '../../server/helpers/sse';

let server: RunningServer;
let host: HostSite;
let browser: Browser;
useWidgetStack((s) => ({ server, host, browser } = s));

async function tapCentre(page: Page, name: string | RegExp) {
  const b = (await page.getByRole('button', { name }).boundingBox())!;
  await page.mouse.click(b.x + b.width / 2, b.y + b.height / 2);
}
const settings = (body: unknown) => agent(server.url, server.agentToken, '/v1/settings', { method: 'PATCH', body });

describe('what visitors expect', () => {
  it('French: the launcher, the language chunk on demand, the translated greeting, then the site\'s own', async () => {
    const ctx = await browser.newContext({ locale: 'fr-FR' });
    const page = await ctx.newPage();
    const chunks: string[] = [];
    page.on('request', (r) => { const m = /\/widget\/(\w+)-[\w-]+\.js/.exec(r.url()); if (m) chunks.push(m[1]); });
    await page.goto(host.url({ lang: 'fr', before: `Chative.update({ name: 'Amélie', email: 'amelie@example.fr' })` }));
    await contactIn(page);
    expect(chunks.sort()).toEqual(['app', 'fr']);
    await tapCentre(page, 'Ouvrir le chat');
    await poll(() => page.getByRole('dialog').getAttribute('aria-label')).toBe('Bonjour ! Comment pouvons-nous vous aider ?');
    expect(await page.getByRole('button', { name: 'Envoyer' }).count()).toBe(1);
    await ctx.close();
    await settings({ greetings: { fr: 'Bienvenue chez Hoa !' } });
    const ctx2 = await browser.newContext({ locale: 'fr-FR' }); // a new visitor: the config is cached for 60 s per browser
    const page2 = await ctx2.newPage();
    await page2.goto(host.url({ lang: 'fr' }));
    await tapCentre(page2, 'Ouvrir le chat');
    await poll(() => page2.getByRole('dialog').getAttribute('aria-label')).toBe('Bienvenue chez Hoa !');
    expect(await page2.getByRole('dialog').getByRole('heading').textContent()).toBe('Bienvenue chez Hoa !');
    await ctx2.close();
  });

  it('agent messages carry the team name and every message its time in the visitor\'s language', async () => {
    await settings({ name: 'Hoa Shop' });
    const ctx = await browser.newContext({ locale: 'de-DE' });
    const page = await ctx.newPage();
    await page.goto(host.url({ lang: 'de', before: `window.got = []; Chative.on('message', (m) => got.push(m)); Chative.update({ name: 'Jonas', email: 'jonas@example.de' })` }));
    const contact = await contactIn(page);
    await tapCentre(page, 'Chat öffnen');
    const box = page.getByRole('textbox', { name: 'Nachricht' });
    await box.fill('Hallo');
    await box.press('Enter');
    await poll(() => page.locator('[data-seq]').count()).toBe(1);
    const conv = await conversationOf(server.url, server.agentToken, contact.id);
    await agent(server.url, server.agentToken, `/v1/conversations/${conv}/messages`, { method: 'POST', body: { text: 'Guten Tag!' } });
    await poll(() => page.locator('[data-seq]').count()).toBe(2);
    const reply = page.locator('.msg.agent');
    expect(await reply.locator('.who').textContent()).toBe('Hoa Shop: ');
    const times = await page.locator('[data-seq] time').evaluateAll((els) => els.map((e) => ({
      text: e.textContent,
      want: new Intl.DateTimeFormat('de', { hour: 'numeric', minute: '2-digit' }).format(new Date(e.getAttribute('datetime')!)),
    })));
    expect(times).toHaveLength(2);
    for (const t of times) expect(t.text).toBe(t.want);
    const got = await page.evaluate(() => (window as any).got);
    expect(got.find((m: any) => m.author === 'agent')).toMatchObject({ agentName: 'Hoa Shop', text: 'Guten Tag!' });
    expect(got.find((m: any) => m.author === 'visitor')).not.toHaveProperty('agentName');
    await ctx.close();
  });

  it('dark mode follows prefers-color-scheme by default; theme light/dark pins it', async () => {
    await settings({ theme: 'auto' });
    const ctx = await browser.newContext({ colorScheme: 'dark' });
    const page = await ctx.newPage();
    const background = () => page.getByRole('dialog').evaluate((el) => getComputedStyle(el).backgroundColor);
    await page.goto(host.url({ before: `Chative.update({ name: 'Nox', email: 'nox@example.com' })` }));
    await contactIn(page);
    await tapCentre(page, 'Open chat');
    await page.getByRole('textbox', { name: 'Message' }).waitFor();
    expect(await background()).toBe('rgb(29, 32, 39)');
    await page.emulateMedia({ colorScheme: 'light' });
    expect(await background()).toBe('rgb(255, 255, 255)');
    await settings({ theme: 'dark' });
    await ctx.close();
    const ctx2 = await browser.newContext({ colorScheme: 'light' });
    const page2 = await ctx2.newPage();
    await page2.goto(host.url());
    await tapCentre(page2, 'Open chat');
    await poll(() => page2.getByRole('dialog').evaluate((el) => getComputedStyle(el).backgroundColor)).toBe('rgb(29, 32, 39)');
    await settings({ theme: 'auto' });
    await ctx2.close();
  });

  it('typing, both ways: the agent console sees the visitor type, the widget shows the agent typing; nothing is stored', async () => {
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    await page.goto(host.url({ before: `Chative.update({ name: 'Tia Typer', email: 'tia@example.com' })` }));
    const contact = await contactIn(page);
    await tapCentre(page, 'Open chat');
    const consoleStream = openStream(server.url + '/v1/agent/stream', { authorization: 'Bearer ' + server.agentToken });
    try {
      await poll(() => consoleStream.status).toBe(200);
      const box = page.getByRole('textbox', { name: 'Message' });
      await box.pressSequentially('first'); // five keystrokes within 3 s: one signal
      await consoleStream.until((evs) => evs.some((e) => e.event === 'typing' && e.data.contactId === contact.id && e.data.author === 'visitor'));
      await box.press('Enter');
      await poll(() => page.locator('[data-seq]').count()).toBe(1);
      expect(consoleStream.events.filter((e) => e.event === 'typing')).toHaveLength(1);
    } finally {
      await consoleStream.close();
    }
    const conv = await conversationOf(server.url, server.agentToken, contact.id);
    await agent(server.url, server.agentToken, `/v1/conversations/${conv}/typing`, { method: 'POST' });
    const status = page.getByRole('dialog').getByRole('status');
    await poll(() => status.textContent()).toBe('Hoa Shop is typing…');
    await agent(server.url, server.agentToken, `/v1/conversations/${conv}/messages`, { method: 'POST', body: { text: 'done typing' } });
    await poll(() => page.locator('.typing').count()).toBe(0); // the message replaces the indicator
    const msgs = await agent(server.url, server.agentToken, `/v1/conversations/${conv}/messages`);
    expect(msgs.items.map((m: { text: string }) => m.text)).toEqual(['first', 'done typing']);
    const missing = await fetch(server.url + '/v1/conversations/nope/typing', { method: 'POST', headers: { authorization: 'Bearer ' + server.agentToken } });
    expect(missing.status).toBe(404);
    await ctx.close();
  });

  it('a chime for a reply while the chat is closed, only when the site owner turned sound on', async () => {
    const fakeAudio = `window.__tones = 0; window.AudioContext = class {
      constructor() { this.currentTime = 0; this.destination = {}; }
      createOscillator() { return { frequency: {}, connect: (g) => g, start() { window.__tones++; }, stop() {} }; }
      createGain() { return { gain: { setValueAtTime() {}, exponentialRampToValueAtTime() {} }, connect: (d) => d }; }
    };`;
    const visit = async (email: string) => {
      const ctx = await browser.newContext(); // a new browser each time: the config is cached for 60 s
      const page = await ctx.newPage();
      await page.addInitScript(fakeAudio);
      await page.goto(host.url({ before: `Chative.update({ name: 'Bell', email: '${email}' })` }));
      const contact = await contactIn(page);
      await tapCentre(page, 'Open chat');
      await sendViaComposer(page, 'ring me');
      await poll(() => page.locator('[data-seq]').count()).toBe(1);
      await page.keyboard.press('Escape'); // closes the chat (the launcher and the header both say "Close chat")
      await poll(() => page.getByRole('dialog').count()).toBe(0);
      const conv = await conversationOf(server.url, server.agentToken, contact.id);
      await agent(server.url, server.agentToken, `/v1/conversations/${conv}/messages`, { method: 'POST', body: { text: 'ding?' } });
      await poll(() => page.getByRole('button', { name: /Open chat/ }).textContent()).toContain('1'); // the reply arrived
      const tones = await page.evaluate(() => (window as any).__tones);
      await ctx.close();
      return tones;
    };
    expect(await visit('quiet@example.com')).toBe(0); // off by default
    await settings({ sound: true });
    expect(await visit('loud@example.com')).toBe(1);
    await settings({ sound: false });
  });

  it('a reply while the tab is hidden counts in the page title until the visitor is back', async () => {
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    await page.goto(host.url({ before: `Chative.update({ name: 'Tab Hopper', email: 'tabs@example.com' })` }));
    const contact = await contactIn(page);
    await tapCentre(page, 'Open chat');
    await sendViaComposer(page, 'back in a minute');
    await poll(() => page.locator('[data-seq]').count()).toBe(1);
    const conv = await conversationOf(server.url, server.agentToken, contact.id);
    // Headless tabs are never hidden: say so the way the browser would.
    const setHidden = (hidden: boolean) => page.evaluate((h) => {
      Object.defineProperty(document, 'hidden', { configurable: true, get: () => h });
      document.dispatchEvent(new Event('visibilitychange'));
    }, hidden);
    await setHidden(true);
    for (const text of ['one', 'two']) {
      await agent(server.url, server.agentToken, `/v1/conversations/${conv}/messages`, { method: 'POST', body: { text } });
    }
    await poll(() => page.title()).toBe('(2) Host');
    await setHidden(false);
    expect(await page.title()).toBe('Host');
    await ctx.close();
  });
});
