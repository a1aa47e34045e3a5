// Issue 12 in the console against the real server: build a condition field by field (operators fit the field's
// type), save it as a segment (sidebar count), choose and remember columns, sort, and tag all matches in bulk.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { agent, launch, screenshot, seriousViolations, signedIn, startServer, tap, visitor, type Server } from './helpers';

let server: Server;
let browser: Browser;
beforeAll(async () => { server = await startServer(); browser = await launch(); });
afterAll(async () => { await browser?.close(); await server?.stop(); });

const matching = (page: Page, n: number) => page.getByRole('status').filter({ hasText: `${n.toLocaleString('en-US')} matching` }).waitFor();

describe('contacts table: conditions, segments, columns, bulk', () => {
  it('filters by a custom field, saves a segment, remembers columns, sorts and tags every match', async () => {
    await agent(server, 'POST', '/v1/custom-fields', { name: 'Plan', type: 'text' });
    await agent(server, 'POST', '/v1/custom-fields', { name: 'Seats', type: 'number' });
    const people = [['Zed Pro', 'pro', 3], ['Amy Pro', 'PRO', 12], ['Bo Free', 'free', 1]] as const;
    const ids: string[] = [];
    for (const [name, plan, seats] of people) {
      const v = await visitor(server, { name, email: `${name.split(' ')[0].toLowerCase()}@example.com` });
      await agent(server, 'PATCH', `/v1/contacts/${v.contact.id}`, { custom: { plan, seats } });
      ids.push(v.contact.id);
    }

    const page = await signedIn(browser, server, '#/segments');
    await matching(page, 3);

    // a condition: Plan is "pro" (case-insensitive)
    await tap(page, page.getByRole('button', { name: 'Add condition' }));
    await page.getByLabel('Field', { exact: true }).selectOption({ label: 'Seats' });
    // the operators follow the field's type: a number takes "<", never "contains"
    const ops = await page.getByLabel('Operator', { exact: true }).locator('option').allTextContents();
    expect(ops).toContain('<');
    expect(ops).not.toContain('contains');
    await page.getByLabel('Field', { exact: true }).selectOption({ label: 'Plan' });
    await page.getByLabel('Operator', { exact: true }).selectOption({ label: 'is' });
    await page.getByLabel('Value', { exact: true }).fill('pro');
    await tap(page, page.getByRole('button', { name: 'Apply filters' }));
    await matching(page, 2);
    const names = () => page.locator('tbody tr td:first-child').allTextContents();
    expect((await names()).sort()).toEqual(['Amy Pro', 'Zed Pro']);

    // saved as a segment: it appears in the sidebar with its live count
    await page.getByLabel('Segment name').fill('Pro plans');
    await tap(page, page.getByRole('button', { name: 'Save as segment' }));
    const link = page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: /Pro plans\s*2/ });
    await link.waitFor();
    await page.getByRole('heading', { name: 'Pro plans' }).waitFor();

    // columns: add Plan; sort by Name ascending; both survive a reload (remembered for this agent)
    await tap(page, page.getByText('Columns', { exact: true }));
    await tap(page, page.getByRole('group', { name: 'Columns' }).getByLabel('Plan'));
    await page.getByRole('columnheader', { name: 'Plan' }).waitFor();
    await tap(page, page.getByRole('button', { name: /^Name/ }));
    await expect.poll(() => page.getByRole('columnheader', { name: /Name/ }).getAttribute('aria-sort')).toBe('ascending');
    await expect.poll(names).toEqual(['Amy Pro', 'Zed Pro']);
    await page.reload();
    await page.getByRole('columnheader', { name: 'Plan' }).waitFor();
    await expect.poll(() => page.getByRole('columnheader', { name: /Name/ }).getAttribute('aria-sort')).toBe('ascending');
    await expect.poll(names).toEqual(['Amy Pro', 'Zed Pro']);

    // bulk: tag all 2 matching (not only the page), progress ends with "Done"
    await page.getByLabel('Tag', { exact: true }).fill('wave-1');
    await tap(page, page.getByRole('button', { name: 'Apply to 2' }));
    await page.getByRole('status').filter({ hasText: 'Done: 2 contacts' }).waitFor();
    for (const [i, id] of ids.entries()) expect((await agent(server, 'GET', `/v1/contacts/${id}`)).tags.includes('wave-1'), people[i][0]).toBe(i < 2);

    { const v = await seriousViolations(page); expect(v, JSON.stringify(v).slice(0, 1500)).toEqual([]); }
    for (const width of [375, 1280, 1680]) {
      await page.setViewportSize({ width, height: 900 });
      await screenshot(page, `segments-table-${width}`);
    }
    await page.close();
  });

  it('shows the server\'s refusal of a wrong value next to the builder and changes nothing', async () => {
    const page = await signedIn(browser, server, '#/segments');
    await page.getByRole('status').filter({ hasText: 'matching' }).waitFor();
    await tap(page, page.getByRole('button', { name: 'Add condition' }));
    await page.getByLabel('Field', { exact: true }).selectOption({ label: 'Last seen' });
    await page.getByLabel('Operator', { exact: true }).selectOption({ label: 'in the last … days' });
    await page.getByLabel('Days', { exact: true }).fill('-3');
    await tap(page, page.getByRole('button', { name: 'Apply filters' }));
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/where\.all\.0\.value/);
    expect((await agent(server, 'GET', '/v1/segments')).items.map((s: { name: string }) => s.name)).toEqual(['Pro plans']);
    await page.close();
  });
});
