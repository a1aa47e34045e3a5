// Settings screens against the real server: tags create/rename/delete with counts; widget settings save, secret rotation, snippet.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { agent, launch, signedIn, startServer, visitor, type Server } from './helpers';

let server: Server;
let browser: Browser;
// no CHATIVE_SITE_SECRET: the secret lives in the settings, so the console may rotate it
beforeAll(async () => { server = await startServer({ CHATIVE_SITE_SECRET: '' }); browser = await launch(); });
afterAll(async () => { await browser?.close(); await server?.stop(); });

describe('settings', () => {
  it('creates, renames (refusing a taken name) and deletes tags, with usage counts', async () => {
    const v = await visitor(server, { name: 'Tag Holder', email: 'holder@example.com' });
    const page = await signedIn(browser, server, '#/settings/tags');
    await page.getByText('No tags yet').waitFor();
    for (const name of ['Beta', 'Churn risk']) {
      await page.getByLabel('New tag name').fill(name);
      await page.getByRole('button', { name: 'Create tag' }).click();
      await page.getByRole('row', { name: new RegExp(name) }).waitFor();
    }
    await agent(server, 'PUT', `/v1/contacts/${v.contact.id}/tags/Beta`);
    await page.reload();
    await expect.poll(() => page.getByRole('row', { name: /Beta/ }).textContent()).toMatch(/Beta\s*1/);

    await page.getByRole('button', { name: 'Rename tag Beta' }).click();
    await page.getByLabel('New name for Beta').fill('churn RISK');
    await page.getByLabel('New name for Beta').press('Enter');
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('already exists');
    await page.getByLabel('New name for Beta').fill('Early access');
    await page.getByLabel('New name for Beta').press('Enter');
    await page.getByRole('row', { name: /Early access/ }).waitFor();
    expect((await agent(server, 'GET', `/v1/contacts/${v.contact.id}`)).tags).toEqual(['Early access']);

    await page.getByRole('button', { name: 'Delete tag Early access' }).click();
    const dialog = page.getByRole('dialog');
    expect(await dialog.textContent()).toContain('removed from 1 contact');
    await dialog.getByRole('button', { name: 'Delete tag' }).click();
    await expect.poll(() => page.getByRole('row', { name: /Early access/ }).count()).toBe(0);
    expect((await agent(server, 'GET', `/v1/contacts/${v.contact.id}`)).tags).toEqual([]);
    await page.close();
  });

  it('saves widget settings, asks a custom field in the form, rotates the secret and shows the snippet', async () => {
    await agent(server, 'POST', '/v1/custom-fields', { name: 'Company', type: 'text' });
    const page = await signedIn(browser, server, '#/settings/widget');
    await page.getByRole('heading', { level: 1, name: 'Widget' }).waitFor();
    await page.getByLabel('Greeting', { exact: true }).fill('Hello from Northwind!');
    await page.getByText('Greeting in other languages').click();
    await page.getByLabel('Greeting (French)').fill('Bonjour de Northwind !');
    await page.getByLabel('Team name').fill('Northwind Support');
    await page.getByLabel('Theme').selectOption('dark');
    await page.getByLabel('Ask Company').check();
    await page.getByLabel('Company required').check();
    await page.getByLabel('Ask Phone').uncheck();
    await page.getByLabel(/Sites allowed to load the widget/).fill('https://shop.example\nhttp://localhost:*');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Settings saved' }).count()).toBe(1);

    const s = await agent(server, 'GET', '/v1/settings');
    expect(s.greeting).toBe('Hello from Northwind!');
    expect(s).toMatchObject({ name: 'Northwind Support', theme: 'dark', sound: false, greetings: { fr: 'Bonjour de Northwind !' } });
    expect(s.allowedOrigins).toEqual(['https://shop.example', 'http://localhost:*']);
    expect(s.form.fields.map((f: any) => [f.key, f.required])).toEqual([['name', true], ['email', false], ['company', true]]);
    const config = await (await fetch(server.url + '/v1/sites/default/config', { headers: { origin: 'https://shop.example' } })).json();
    expect(config.form.fields.find((f: any) => f.key === 'company')).toMatchObject({ label: 'Company', required: true, custom: true });

    // a bad origin is refused and explained
    await page.getByLabel(/Sites allowed to load the widget/).fill('not an origin');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await expect.poll(() => page.locator('.save-bar [role="alert"]').textContent()).toMatch(/Nothing was saved/);
    // the server's words stand under the box it refused, naming the entry
    await expect.poll(() => page.locator('#w-origins-err').textContent()).toMatch(/^“not”: Expected an origin/);
    expect(await page.getByLabel(/Sites allowed to load the widget/).getAttribute('aria-invalid')).toBe('true');

    const before = s.secret;
    await page.getByRole('button', { name: 'Rotate…' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Rotate secret' }).click();
    await expect.poll(async () => (await agent(server, 'GET', '/v1/settings')).secret).not.toBe(before);
    // the screen shows the new secret once the rotation's answer arrived (the server may answer GET first)
    const rotated = (await agent(server, 'GET', '/v1/settings')).secret;
    await expect.poll(() => page.getByLabel('Site secret').inputValue()).toBe(rotated);

    const snippet = await page.locator('#snippet').textContent();
    expect(snippet).toContain(`(window,document,"${server.url}/widget.js","default");</script>`);
    expect(snippet).toContain('"identify update open close toggle on off getContact reset"');
    await page.close();
  });
});

describe('a secret pinned by CHATIVE_SITE_SECRET', () => {
  it('shows it as managed by the environment, offers no rotation, and the API refuses one with 409', async () => {
    const pinned = await startServer({ CHATIVE_SITE_SECRET: 'pinned-by-the-environment-0123456789' });
    try {
      const page = await signedIn(browser, pinned, '#/settings/widget');
      await page.getByRole('heading', { level: 1, name: 'Widget' }).waitFor();
      const note = page.locator('#w-secret-env');
      await note.waitFor();
      expect(await note.textContent()).toContain('Managed by the environment');
      expect(await page.getByRole('button', { name: 'Rotate…' }).count()).toBe(0);
      const r = await fetch(`${pinned.url}/v1/settings/secret/rotate`, { method: 'POST', headers: { authorization: `Bearer ${pinned.agentToken}` } });
      expect(r.status).toBe(409);
      expect(((await r.json()) as any).error.code).toBe('secret_managed_by_env');
      expect((await agent(pinned, 'GET', '/v1/settings')).secret).toBe('pinned-by-the-environment-0123456789');
      await page.close();
    } finally {
      await pinned.stop();
    }
  });
});
