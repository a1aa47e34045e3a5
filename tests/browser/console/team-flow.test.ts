// Issue 11 "done when": a team of three from a fresh start in the console alone — the owner through the printed
// setup link, an admin and an agent invited from the Team screen, each accepting in its own browser (own cookies),
// each seeing what their role allows and nothing more; then the inbox worked as a team, authorship on every side,
// the activity trail, API tokens, disabling, and signing out everywhere.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startServer, type RunningServer } from '../../server/helpers/spawn-server';
import { launch, screenshot, seriousViolations, tap, visitor } from './helpers';

const PASSWORD = 'correct horse battery staple';
let server: RunningServer;
let browser: Browser;
const contexts: BrowserContext[] = [];
let owner: Page;
let admin: Page;
let agentPage: Page;
const links: Record<string, string> = {};

async function page(viewport = { width: 1280, height: 900 }): Promise<Page> {
  const ctx = await browser.newContext({ viewport });
  contexts.push(ctx);
  return ctx.newPage();
}
const nav = (p: Page) => p.getByRole('navigation', { name: 'Console' });
const navLabels = async (p: Page) => (await nav(p).getByRole('link').allTextContents()).map((t) => t.replace(/\d+ unread$/, '').trim());

beforeAll(async () => {
  server = await startServer({ env: { CHATIVE_AGENT_TOKEN: '' } });
  browser = await launch();
});
afterAll(async () => {
  for (const c of contexts) await c.close();
  await browser?.close();
  await server?.stop();
});

describe('a team of three from a fresh start, in the console alone', () => {
  it('the owner is created through the one-time setup link npm start printed', async () => {
    const link = /(http:\/\/\S+\/console\/#\/setup\?token=\S+)/.exec(server.output())?.[1];
    expect(link, server.output()).toBeTruthy();
    owner = await page();
    await owner.goto(link!);
    await owner.getByRole('heading', { name: 'Set up Chative' }).waitFor();
    expect(await seriousViolations(owner)).toEqual([]);
    await screenshot(owner, 'team-setup');
    // a short password is refused under its box and nothing is created
    await owner.getByLabel('Your name').fill('Olga Owner');
    await owner.getByLabel('Email').fill('olga@example.com');
    await owner.getByLabel('Password').fill('short');
    await owner.getByLabel('Password').press('Enter'); // keyboard: Enter submits
    await expect.poll(() => owner.locator('#setup-password-err').textContent()).toMatch(/10/);
    expect(await owner.getByLabel('Password').getAttribute('aria-invalid')).toBe('true');
    await owner.getByLabel('Password').fill(PASSWORD);
    await tap(owner, owner.getByRole('button', { name: 'Create owner account' }));
    await nav(owner).waitFor();
    expect(owner.url()).toContain('#/inbox');
    expect(await owner.locator('.sidebar-me').textContent()).toContain('Olga Owner');
    expect(await navLabels(owner)).toEqual(['Inbox', 'Contacts', 'Import', 'All contacts (table)', 'Custom fields', 'Tags', 'Widget', 'Data retention', 'Rules', 'Webhooks', 'Team', 'API tokens', 'My profile']);

    // the link is spent: opened again, it says so instead of offering a form
    const again = await page();
    await again.goto(link!);
    await again.getByRole('heading', { name: 'Chative is set up' }).waitFor();
  });

  it('the owner invites an admin and an agent; each link is shown once to copy, both wait as pending invites', async () => {
    await tap(owner, nav(owner).getByRole('link', { name: 'Team' }));
    await owner.getByRole('heading', { level: 1, name: 'Team' }).waitFor();
    // an owner may hand out every role
    expect(await owner.getByLabel('Role', { exact: true }).locator('option').allTextContents()).toEqual(['Owner', 'Admin', 'Agent']);
    for (const [name, email, role] of [['Ada Admin', 'ada@example.com', 'admin'], ['Alex Agent', 'alex@example.com', 'agent']]) {
      await owner.getByLabel('Name', { exact: true }).fill(name);
      await owner.getByLabel('Email', { exact: true }).fill(email);
      await owner.getByLabel('Role', { exact: true }).selectOption(role);
      await tap(owner, owner.getByRole('button', { name: 'Create invite link' }));
      const input = owner.getByLabel(`Invite link for ${name}`);
      await input.waitFor();
      links[role] = await input.inputValue();
      expect(links[role]).toMatch(/\/console\/#\/invite\?token=[A-Za-z0-9_-]+$/);
    }
    const pending = owner.getByRole('table', { name: 'Pending invites' });
    await expect.poll(() => pending.locator('tbody tr').count()).toBe(2);
    expect(await pending.textContent()).toMatch(/Ada Admin.*ada@example\.com.*Admin/);
    expect(await seriousViolations(owner)).toEqual([]);
    await screenshot(owner, 'team-invited');
  });

  it('each accepts in its own browser and is signed in', async () => {
    admin = await page();
    await admin.goto(links.admin);
    await admin.getByRole('heading', { name: 'Join the team' }).waitFor();
    expect(await seriousViolations(admin)).toEqual([]);
    await screenshot(admin, 'team-invite');
    await admin.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await tap(admin, admin.getByRole('button', { name: 'Join the team' }));
    await nav(admin).waitFor();
    expect(await admin.locator('.sidebar-me').textContent()).toMatch(/Ada Admin.*Admin/);

    // the agent joins at phone width, with the keyboard only
    agentPage = await page({ width: 375, height: 800 });
    await agentPage.goto(links.agent);
    await agentPage.getByLabel('Your name (optional)').focus();
    await agentPage.keyboard.type('Alex Agent');
    await agentPage.keyboard.press('Tab');
    await agentPage.keyboard.type(PASSWORD);
    await agentPage.keyboard.press('Enter');
    await nav(agentPage).waitFor();

    // the same link a second time: refused, in words
    const replay = await page();
    await replay.goto(links.agent);
    await replay.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await tap(replay, replay.getByRole('button', { name: 'Join the team' }));
    await expect.poll(() => replay.getByRole('alert').textContent()).toMatch(/used already|expired|not valid/);
  });

  it('each sees what their role allows and nothing more', async () => {
    expect(await navLabels(admin)).toEqual(['Inbox', 'Contacts', 'Import', 'All contacts (table)', 'Custom fields', 'Tags', 'Widget', 'Data retention', 'Rules', 'Webhooks', 'Team', 'API tokens', 'My profile']);
    expect(await navLabels(agentPage)).toEqual(['Inbox', 'Contacts', 'All contacts (table)', 'My profile']);
    // an admin hands out admin and agent only (CONTRACT §6: everything but owners); the owner's row is read-only
    await admin.goto(links.admin.replace(/#.*/, '#/team'));
    await admin.getByRole('heading', { level: 1, name: 'Team' }).waitFor();
    expect(await admin.getByLabel('Role', { exact: true }).locator('option').allTextContents()).toEqual(['Admin', 'Agent']);
    const members = admin.getByRole('table', { name: 'Team members' });
    await expect.poll(() => members.locator('tbody tr').count()).toBe(3);
    const olgaRow = members.locator('tr', { hasText: 'Olga Owner' });
    expect(await olgaRow.locator('select').count()).toBe(0);
    expect(await olgaRow.getByRole('button').count()).toBe(0);
    // an agent typing an admin address gets a plain refusal, not a half-drawn screen
    for (const hash of ['#/team', '#/settings/api-tokens', '#/settings/fields']) {
      await agentPage.evaluate((h) => { location.hash = h; }, hash);
      await agentPage.getByText('Your role cannot open this screen').waitFor();
    }
    await screenshot(agentPage, 'team-agent-refused-phone');
    // and the server refuses too (a hidden button is not security)
    const status = await agentPage.evaluate(async () => (await fetch('/v1/agents', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Eve', email: 'eve@example.com', role: 'owner' }) })).status);
    expect(status).toBe(403);
  });

  it('presence: the owner sees both teammates online, and away when they say so', async () => {
    await tap(owner, nav(owner).getByRole('link', { name: 'Team' }));
    const members = owner.getByRole('table', { name: 'Team members' });
    const row = (name: string) => members.locator('tr', { hasText: name });
    await expect.poll(() => row('Alex Agent').textContent(), { timeout: 15_000 }).toContain('Online');
    await expect.poll(() => row('Ada Admin').textContent(), { timeout: 15_000 }).toContain('Online');
    await expect.poll(() => owner.locator('.sidebar-me').textContent()).toMatch(/Olga Owner.*Online/); // and so do I
    await agentPage.evaluate(() => { location.hash = '#/profile'; });
    await agentPage.getByRole('switch', { name: 'I am away' }).waitFor();
    expect(await seriousViolations(agentPage)).toEqual([]);
    await screenshot(agentPage, 'team-profile-phone');
    await tap(agentPage, agentPage.getByRole('switch', { name: 'I am away' }));
    await expect.poll(() => row('Alex Agent').textContent(), { timeout: 15_000 }).toContain('Away');
    await tap(agentPage, agentPage.getByRole('switch', { name: 'I am away' }));
    await expect.poll(() => row('Alex Agent').textContent(), { timeout: 15_000 }).toContain('Online');
  });

  it('the inbox as a team: views with counts, assign to me, reply under my name (the visitor sees it), resolve', async () => {
    const v = await visitor(server, { name: 'Vera Visitor', email: 'vera@example.com', message: 'Is my order on its way?' });
    await agentPage.evaluate(() => { location.hash = '#/inbox?view=unassigned'; });
    const views = agentPage.getByRole('navigation', { name: 'Inbox views' });
    await expect.poll(() => views.getByRole('link', { name: /^Unassigned/ }).textContent()).toMatch(/Unassigned1.*1 unread/);
    await expect.poll(() => agentPage.title()).toMatch(/^\(1\) Inbox/); // the unread count in the tab title
    await tap(agentPage, agentPage.getByRole('link', { name: /Vera Visitor/ }));
    await tap(agentPage, agentPage.getByRole('button', { name: 'Assign to me' }));
    await expect.poll(() => agentPage.getByLabel('Assignee').inputValue()).not.toBe('');
    await expect.poll(() => agentPage.title()).toMatch(/^Inbox/); // read now
    await agentPage.getByLabel('Reply').fill('It left the roastery this morning.');
    await agentPage.getByLabel('Reply').press('Enter');
    const mine = agentPage.locator('.msg-agent', { hasText: 'It left the roastery' });
    expect(await mine.locator('.msg-author').textContent()).toBe('You: ');
    await screenshot(agentPage, 'team-inbox-phone');
    // no link into a screen the agent's role cannot open
    const panel = agentPage.getByRole('complementary', { name: 'Contact' });
    await expect.poll(() => panel.textContent()).toContain('An admin can create them');
    expect(await panel.locator('a[href^="#/settings"]').count()).toBe(0);

    // the owner sees who answered, and who it is assigned to
    await owner.goto(`${server.url}/console/#/inbox/${v.conversationId}?view=all`);
    const reply = owner.locator('.msg-agent', { hasText: 'It left the roastery' });
    await expect.poll(() => reply.locator('.msg-author').textContent()).toBe('Alex Agent: ');
    await expect.poll(() => owner.getByLabel('Assignee').locator('option:checked').textContent()).toContain('Alex Agent');
    expect(await seriousViolations(owner)).toEqual([]);
    await screenshot(owner, 'team-inbox-owner');

    // the visitor's widget is told the agent's name (never an email)
    const history = await (await fetch(`${server.url}/v1/messages`, { headers: { authorization: `Bearer ${v.token}`, origin: server.url } })).json();
    const fromAgent = history.items.find((m: any) => m.author === 'agent');
    expect(fromAgent.agentName).toBe('Alex Agent');
    expect(JSON.stringify(history)).not.toContain('alex@example.com');

    // resolve from the thread: it leaves Mine and shows under Resolved (at phone width the list is one tap back)
    await tap(agentPage, agentPage.getByRole('button', { name: 'Resolve' }));
    await agentPage.getByRole('button', { name: 'Reopen' }).waitFor();
    await tap(agentPage, agentPage.getByRole('link', { name: '← Inbox' }));
    await expect.poll(() => views.getByRole('link', { name: /^Mine/ }).textContent()).toMatch(/^Mine0/);
    await expect.poll(() => views.getByRole('link', { name: /^Resolved/ }).textContent()).toMatch(/^Resolved1/);
    // the visitor writes again: the conversation reopens, still the agent's
    await v.say('One more thing: can I add a bag?');
    await expect.poll(() => views.getByRole('link', { name: /^Mine/ }).textContent()).toMatch(/^Mine1/);
  });

  it('the contact activity timeline names who changed what', async () => {
    const v = await visitor(server, { name: 'Tim Timeline', email: 'tim@example.com' });
    await agentPage.goto(`${server.url}/console/#/contacts/${v.contact.id}`);
    await tap(agentPage, agentPage.getByRole('button', { name: 'Edit details' }));
    await agentPage.getByLabel('Name', { exact: true }).fill('Timothy Timeline');
    await tap(agentPage, agentPage.getByRole('button', { name: 'Save' }));
    await owner.goto(`${server.url}/console/#/contacts/${v.contact.id}`);
    const timeline = owner.getByRole('list', { name: 'Changes, newest first' });
    await expect.poll(() => timeline.locator('li').first().textContent()).toBe('Alex Agent changed name from “Tim Timeline” to “Timothy Timeline”Just now');
    expect(await timeline.textContent()).toContain('Visitor created the contact');
    expect(await seriousViolations(owner)).toEqual([]);
  });

  it('API tokens: created with a role, shown once, usable, revoked at once', async () => {
    await owner.goto(`${server.url}/console/#/settings/api-tokens`);
    await owner.getByRole('heading', { level: 1, name: 'API tokens' }).waitFor();
    // keyboard only: name, Tab to the role, Tab to the button, Enter
    await owner.getByLabel('Name', { exact: true }).focus();
    await owner.keyboard.type('CRM sync');
    await owner.keyboard.press('Tab');
    await owner.keyboard.press('Tab');
    await owner.keyboard.press('Enter');
    const secret = owner.getByLabel('New API token CRM sync');
    await secret.waitFor();
    const token = await secret.inputValue();
    const call = () => fetch(`${server.url}/v1/contacts?limit=1`, { headers: { authorization: `Bearer ${token}` } }).then((r) => r.status);
    expect(await call()).toBe(200);
    expect(await seriousViolations(owner)).toEqual([]);
    await screenshot(owner, 'team-api-tokens');
    await owner.reload();
    await owner.getByRole('table', { name: 'API tokens' }).waitFor();
    expect(await owner.getByLabel('New API token CRM sync').count()).toBe(0); // never shown again
    await tap(owner, owner.getByRole('button', { name: 'Revoke CRM sync' }));
    await tap(owner, owner.getByRole('dialog').getByRole('button', { name: 'Revoke token' }));
    await expect.poll(call).toBe(401);
  });

  it('a disabled teammate is out at once; sign out everywhere ends every session', async () => {
    await owner.goto(`${server.url}/console/#/team`);
    await tap(owner, owner.getByRole('button', { name: 'Disable Alex Agent' }));
    expect(await owner.getByRole('dialog').textContent()).toContain('stop at once');
    await tap(owner, owner.getByRole('dialog').getByRole('button', { name: 'Disable' }));
    await expect.poll(() => owner.getByRole('table', { name: 'Team members' }).locator('tr', { hasText: 'Alex Agent' }).textContent()).toContain('Disabled');
    await agentPage.reload();
    await agentPage.getByRole('heading', { name: 'Sign in to the console' }).waitFor();
    await agentPage.getByLabel('Email').fill('alex@example.com');
    await agentPage.getByLabel('Password').fill(PASSWORD);
    await tap(agentPage, agentPage.getByRole('button', { name: 'Sign in', exact: true }));
    await expect.poll(() => agentPage.getByRole('alert').textContent()).toContain('do not match an active account');

    // the admin, signed in twice, signs out everywhere from one browser: the other is out too
    const second = await page();
    await second.goto(`${server.url}/console/`);
    await second.getByLabel('Email').fill('ada@example.com');
    await second.getByLabel('Password').fill(PASSWORD);
    await second.getByLabel('Password').press('Enter');
    await nav(second).waitFor();
    await admin.goto(`${server.url}/console/#/profile`);
    await tap(admin, admin.getByRole('button', { name: 'Sign out everywhere' }));
    await tap(admin, admin.getByRole('dialog').getByRole('button', { name: 'Sign out everywhere' }));
    await admin.getByRole('heading', { name: 'Sign in to the console' }).waitFor();
    await second.reload();
    await second.getByRole('heading', { name: 'Sign in to the console' }).waitFor();
  });
});
