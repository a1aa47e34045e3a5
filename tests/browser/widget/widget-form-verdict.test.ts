// Issue 9 item 2 in real Chromium: a value the widget lets through but the server refuses comes back on
// the right field (aria-invalid, message tied by aria-describedby) and nothing the visitor typed is lost.
import { describe, it, expect } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import type { RunningServer } from '../../server/helpers/spawn-server';
import { agent, contactIn, poll, useWidgetStack, type HostSite } from './host-page';

let server: RunningServer;
let host: HostSite;
let browser: Browser;
useWidgetStack((s) => ({ server, host, browser } = s));

async function tap(page: Page, target: Locator) {
  const box = (await target.boundingBox())!;
  await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
}

describe('the pre-chat form shows the server verdict', () => {
  it('a refused phone lands on Phone; Name and Email keep what was typed; the fix goes through', async () => {
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    await page.goto(host.url());
    await tap(page, page.getByRole('button', { name: 'Open chat' }));
    const name = page.getByLabel('Name');
    await poll(() => name.count()).toBe(1);
    await name.fill('Lina Lead');
    await page.getByLabel('Email').fill('lina@example.com');
    // "+0…": digits and a plus, so the widget lets it through; no country uses the code 0, so the server refuses it
    await page.getByLabel('Phone').fill('+0 20 7946 0958');
    await tap(page, page.getByRole('button', { name: 'Start chatting' }));

    const phone = page.getByLabel('Phone');
    await poll(() => phone.getAttribute('aria-invalid'), { timeout: 20_000 }).toBe('true');
    const describedBy = await phone.getAttribute('aria-describedby');
    expect(await page.locator('#' + describedBy).textContent()).toMatch(/phone/i);
    expect(await page.getByLabel('Name').inputValue()).toBe('Lina Lead');
    expect(await page.getByLabel('Email').inputValue()).toBe('lina@example.com');
    expect(await phone.inputValue()).toBe('+0 20 7946 0958');
    expect(await page.getByLabel('Name').getAttribute('aria-invalid')).toBeNull();
    expect(await page.getByLabel('Email').getAttribute('aria-invalid')).toBeNull();
    expect(await page.getByRole('status').textContent()).toBe('Please fix 1 field.');
    // the refusal changed nothing on the server
    const before = await contactIn(page);
    expect((await agent(server.url, server.agentToken, '/v1/contacts/' + before.id)).name).toBeNull();

    await phone.fill('+44 20 7946 0958');
    await tap(page, page.getByRole('button', { name: 'Start chatting' }));
    await poll(() => page.getByRole('textbox', { name: 'Message' }).count()).toBe(1);
    await poll(async () => (await agent(server.url, server.agentToken, '/v1/contacts/' + before.id)).type).toBe('lead');
    expect(await agent(server.url, server.agentToken, '/v1/contacts/' + before.id)).toMatchObject({ name: 'Lina Lead', email: 'lina@example.com', phone: '+442079460958' });
    await ctx.close();
  });
});
