// The widget sends the phone as the visitor typed it; the server reads it in the country of the browser's time zone.
import { describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { agent, contactIn, poll, useWidgetStack } from './host-page';
import type { RunningServer } from '../../server/helpers/spawn-server';
import type { HostSite } from './host-page';
import type { Browser } from 'playwright-core';

let server: RunningServer;
let host: HostSite;
let browser: Browser;
useWidgetStack((s) => ({ server, host, browser } = s));

/** A tap at the centre of what a person would tap. */
async function tap(page: Page, target: Locator) {
  await target.scrollIntoViewIfNeeded();
  const box = (await target.boundingBox())!;
  await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
}

async function submitForm(timezoneId: string, name: string, phone: string) {
  const ctx = await browser.newContext({ timezoneId });
  const page = await ctx.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(host.url());
  await tap(page, page.getByRole('button', { name: 'Open chat' }));
  await poll(() => page.getByLabel('Name').count()).toBe(1);
  await page.getByLabel('Name').fill(name);
  await page.getByLabel('Phone').fill(phone);
  await tap(page, page.getByRole('button', { name: 'Start chatting' }));
  return { ctx, page, errors };
}

describe('phones typed into the pre-chat form', () => {
  it('a local Vietnamese number typed in Asia/Ho_Chi_Minh is stored as +84…, with no widget-side refusal', async () => {
    const { ctx, page, errors } = await submitForm('Asia/Ho_Chi_Minh', 'Lan Lead', '0912 345 678');
    await poll(() => page.getByRole('textbox', { name: 'Message' }).count()).toBe(1);
    const { id } = await contactIn(page);
    await poll(async () => (await agent(server.url, server.agentToken, '/v1/contacts/' + id)).type).toBe('lead');
    // Chromium (ICU) reports the zone by its old alias, which is why the map must know aliases
    expect(await agent(server.url, server.agentToken, '/v1/contacts/' + id)).toMatchObject({ name: 'Lan Lead', phone: '+84912345678', timezone: 'Asia/Saigon' });
    expect(errors).toEqual([]);
    await ctx.close();
  });

  it('+44 (0)20 … from London is stored without the trunk zero', async () => {
    const { ctx, page, errors } = await submitForm('Europe/London', 'Ann Lead', '+44 (0)20 7946 0958');
    await poll(() => page.getByRole('textbox', { name: 'Message' }).count()).toBe(1);
    const { id } = await contactIn(page);
    await poll(async () => (await agent(server.url, server.agentToken, '/v1/contacts/' + id)).phone).toBe('+442079460958');
    expect(errors).toEqual([]);
    await ctx.close();
  });
});
