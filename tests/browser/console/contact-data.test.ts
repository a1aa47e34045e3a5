// Console against the real server: custom fields of each type, tags + tag filter, note autosave, guest → lead.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { agent, launch, screenshot, signedIn, startServer, visitor, type Server } from './helpers';

let server: Server;
let browser: Browser;
beforeAll(async () => { server = await startServer(); browser = await launch(); });
afterAll(async () => { await browser?.close(); await server?.stop(); });

describe('contact data in the console', () => {
  it('creates one custom field of each type, sets each on a contact and refuses a wrong-type value', async () => {
    const page = await signedIn(browser, server, '#/settings/fields');
    await page.getByText('No custom fields yet').waitFor();
    for (const [name, type] of [['Plan', 'Text'], ['Seats', 'Number'], ['Renewal date', 'Date'], ['Newsletter', 'Yes / No']]) {
      await page.getByLabel('Name', { exact: true }).fill(name);
      if (name === 'Renewal date') await expect.poll(() => page.getByTestId('derived-key').textContent()).toBe('renewal_date');
      await page.getByLabel('Type').selectOption({ label: type });
      await page.getByRole('button', { name: 'Create field' }).click();
      await page.getByRole('row', { name: new RegExp(name) }).waitFor();
    }
    const fields = (await agent(server, 'GET', '/v1/custom-fields')).items.map((f: any) => [f.key, f.type]);
    expect(fields).toEqual(expect.arrayContaining([['plan', 'text'], ['seats', 'number'], ['renewal_date', 'date'], ['newsletter', 'boolean']]));

    const v = await visitor(server, { name: 'Ada Lovelace', email: 'ada@example.com' });
    await page.goto(`${server.url}/console/#/contacts/${v.contact.id}`);
    await page.getByRole('heading', { name: 'Custom information' }).waitFor();

    await page.getByLabel('Plan').fill('pro');
    await page.getByLabel('Plan').press('Enter');
    await page.locator('[data-field="plan"]').getByText('Saved').waitFor();

    // wrong type: words in a number box are refused by the server and explained inline; nothing is stored
    await page.getByLabel('Seats').fill('twelve');
    await page.getByLabel('Seats').press('Enter');
    const err = page.locator('[data-field="seats"]').getByRole('alert');
    await err.waitFor();
    expect(await err.textContent()).toMatch(/Nothing was saved/);
    expect(await page.getByLabel('Seats').getAttribute('aria-invalid')).toBe('true');
    expect((await agent(server, 'GET', `/v1/contacts/${v.contact.id}`)).custom.seats ?? null).toBeNull();
    await screenshot(page, 'custom-field-refused');

    await page.getByLabel('Seats').fill('12');
    await page.getByLabel('Seats').press('Enter');
    await page.locator('[data-field="seats"]').getByText('Saved').waitFor();
    expect(await err.count()).toBe(0);

    await page.getByLabel('Renewal date').fill('2027-01-31');
    await page.getByLabel('Renewal date').press('Enter');
    await page.locator('[data-field="renewal_date"]').getByText('Saved').waitFor();

    // Yes / No / Not set: three answers, so "not set" never reads as "No"
    const yesNo = page.getByRole('radiogroup', { name: 'Newsletter' });
    expect(await yesNo.getByRole('radio', { name: 'Not set' }).isChecked()).toBe(true);
    await yesNo.getByRole('radio', { name: 'Yes', exact: true }).focus();
    await page.keyboard.press('Space');
    await expect.poll(() => yesNo.getByRole('radio', { name: 'Yes', exact: true }).isChecked()).toBe(true);
    await page.locator('[data-field="newsletter"]').getByText('Saved').waitFor();

    // a wrong-type date or boolean through the API is refused too, and nothing changes
    const bad = await fetch(`${server.url}/v1/contacts/${v.contact.id}`, { method: 'PATCH', headers: { authorization: `Bearer ${server.agentToken}`, 'content-type': 'application/json' }, body: JSON.stringify({ custom: { plan: 'free', renewal_date: '31/01/2027', newsletter: 'yes' } }) });
    expect(bad.status).toBe(400);
    expect((await agent(server, 'GET', `/v1/contacts/${v.contact.id}`)).custom).toEqual({ plan: 'pro', seats: 12, renewal_date: '2027-01-31', newsletter: true });

    // deleting a field says how many contacts hold a value
    await page.goto(`${server.url}/console/#/settings/fields`);
    await page.getByRole('button', { name: 'Delete field Plan' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    expect(await dialog.getByTestId('confirm-count').textContent()).toMatch(/^1 contact holds a value/);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    expect((await agent(server, 'GET', '/v1/custom-fields')).items).toHaveLength(4);
    await page.close();
  });

  it('tags two contacts from their profiles and filters the list by the tag', async () => {
    const a = await visitor(server, { name: 'Tagged One', email: 'one@example.com' });
    const b = await visitor(server, { name: 'Tagged Two', email: 'two@example.com' });
    await visitor(server, { name: 'Not Tagged', email: 'three@example.com' });
    const page = await signedIn(browser, server, `#/contacts/${a.contact.id}`);
    for (const c of [a, b]) {
      await page.goto(`${server.url}/console/#/contacts/${c.contact.id}`);
      await page.getByLabel('Add a tag').fill('Wholesale'); // created on the fly for the first contact
      await page.getByRole('button', { name: 'Add tag' }).click();
      await page.getByRole('button', { name: 'Remove tag Wholesale' }).waitFor();
    }
    await page.goto(`${server.url}/console/#/contacts`);
    await page.getByRole('link', { name: 'Not Tagged' }).waitFor();
    await page.getByLabel('Tags').selectOption('Wholesale');
    await page.getByRole('button', { name: 'Remove tag filter Wholesale' }).waitFor();
    await expect.poll(async () => (await page.locator('tbody tr').allTextContents()).length).toBe(2);
    const names = await page.locator('tbody .contact-link').allTextContents();
    expect(names.map((n) => n.replace(/^[A-Z?<]{1,2}/, '')).sort()).toEqual(['Tagged One', 'Tagged Two']);
    await expect.poll(() => page.getByRole('button', { name: /^All/ }).textContent()).toBe('All2');
    await screenshot(page, 'contacts-filtered-by-tag');
    await page.close();
  });

  it('autosaves a note without a button; after a reload it is there', async () => {
    const v = await visitor(server, { name: 'Note Taker', email: 'note@example.com' });
    const page = await signedIn(browser, server, `#/contacts/${v.contact.id}`);
    const note = page.getByRole('textbox', { name: 'Note' });
    await note.click();
    const firstSave = page.waitForRequest((r) => r.method() === 'PUT' && r.url().endsWith('/note'));
    await page.keyboard.type('Called on Monday. ', { delay: 20 });
    await firstSave; // the first save is now in flight or done; keep typing
    await page.keyboard.type('Wants the annual plan.', { delay: 15 });
    await expect.poll(() => page.getByTestId('note-status').textContent(), { timeout: 10_000 }).toBe('Saved');
    expect(await note.inputValue()).toBe('Called on Monday. Wants the annual plan.');
    await page.reload();
    await note.waitFor();
    await expect.poll(() => note.inputValue()).toBe('Called on Monday. Wants the annual plan.');
    expect((await agent(server, 'GET', `/v1/contacts/${v.contact.id}`)).note).toBe('Called on Monday. Wants the annual plan.');
    await page.close();
  });

  it("editing a guest's name and email in the profile turns them into a lead", async () => {
    const v = await visitor(server);
    expect(v.contact.type).toBe('guest');
    const page = await signedIn(browser, server, `#/contacts/${v.contact.id}`);
    const head = page.locator('.profile-head');
    await expect.poll(() => head.getByTestId('type-badge').textContent()).toBe('Guest');
    await page.getByRole('button', { name: 'Edit details' }).click();
    await page.getByRole('textbox', { name: 'Name', exact: true }).fill('Lin Lead');
    await page.getByRole('textbox', { name: 'Email', exact: true }).fill('lin@example.com');
    await page.getByRole('button', { name: 'Save details' }).click();
    await expect.poll(() => head.getByTestId('type-badge').textContent()).toBe('Lead');
    await page.getByRole('heading', { level: 1, name: 'Lin Lead' }).waitFor();
    const c = await agent(server, 'GET', `/v1/contacts/${v.contact.id}`);
    expect([c.type, c.name, c.email]).toEqual(['lead', 'Lin Lead', 'lin@example.com']);
    await page.close();
  });

  it('explains a refused detail edit inline and keeps the contact unchanged', async () => {
    const v = await visitor(server);
    const page = await signedIn(browser, server, `#/contacts/${v.contact.id}`);
    await page.getByRole('button', { name: 'Edit details' }).click();
    await page.getByRole('textbox', { name: 'Name', exact: true }).fill('Bad Email');
    await page.getByRole('textbox', { name: 'Email', exact: true }).fill('not-an-email');
    await page.getByRole('button', { name: 'Save details' }).click();
    await page.getByRole('alert').first().waitFor();
    expect(await page.getByRole('textbox', { name: 'Email', exact: true }).getAttribute('aria-invalid')).toBe('true');
    const c = await agent(server, 'GET', `/v1/contacts/${v.contact.id}`);
    expect([c.type, c.name, c.email]).toEqual(['guest', null, null]);
    await page.close();
  });
});
