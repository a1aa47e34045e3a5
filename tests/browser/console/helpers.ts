// Shared setup for the console browser tests: the real server (child process), real Chromium, a signed-in page.
import { mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { startServer as spawnServer } from '../../server/helpers/spawn-server';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';

export type Server = { url: string; agentToken: string; secret?: string; stop(): Promise<void> };
const root = resolve(import.meta.dirname, '../../..');
export const SCREENS = join(root, 'tests/.tmp/screens');

/** The real server as a child process (the shared helper: free port, temp DATA_DIR, dist/ served). */
export async function startServer(env?: Record<string, string>): Promise<Server> {
  const s = await spawnServer(env ? { env } : {});
  return { url: s.url, agentToken: s.agentToken, secret: s.secret, stop: () => s.stop() };
}

export async function launch(): Promise<Browser> {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
}

/** A console page signed in through the sign-in screen (token kept in sessionStorage). */
export async function signedIn(browser: Browser, server: Server, hash = '#/contacts', viewport = { width: 1280, height: 860 }): Promise<Page> {
  const page = await browser.newPage({ viewport });
  await page.goto(`${server.url}/console/${hash}`);
  await signInWithToken(page, server.agentToken);
  return page;
}

/** On the sign-in screen: "Use an API token instead" (the agent token is an owner-level one), then the console. */
export async function signInWithToken(page: Page, token: string, opts: { wait?: boolean } = {}) {
  await page.getByText('Use an API token instead').click();
  await page.getByLabel('API token or agent token').fill(token);
  await page.getByRole('button', { name: 'Use token' }).click();
  if (opts.wait !== false) await page.getByRole('navigation', { name: 'Console' }).waitFor();
}

/** Agent-API call as an integration would make it. */
export async function agent<T = any>(server: Server, method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(server.url + path, { method, headers: { authorization: `Bearer ${server.agentToken}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path} -> ${res.status} ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

/** A visitor made through the widget protocol (session + optional details + a message). */
export async function visitor(server: Server, opts: { name?: string; email?: string; message?: string } = {}) {
  const headers = { 'content-type': 'application/json', origin: server.url };
  const s = await (await fetch(server.url + '/v1/sessions', { method: 'POST', headers, body: JSON.stringify({ siteId: 'default', timezone: 'Europe/Paris' }) })).json();
  const auth = { ...headers, authorization: `Bearer ${s.token}` };
  const events: unknown[] = [];
  if (opts.name || opts.email) events.push({ id: 'upd-' + Math.random().toString(36).slice(2, 12), type: 'update', name: opts.name, email: opts.email });
  if (opts.message) events.push({ id: 'msg-' + Math.random().toString(36).slice(2, 12), type: 'message', text: opts.message });
  let contact = s.contact;
  let conversationId: string | undefined;
  if (events.length) {
    const r = await (await fetch(server.url + '/v1/sync', { method: 'POST', headers: auth, body: JSON.stringify({ events }) })).json();
    contact = r.contact;
    conversationId = r.results.find((x: any) => x.message)?.message.conversationId;
  }
  const say = async (text: string) => fetch(server.url + '/v1/sync', { method: 'POST', headers: auth, body: JSON.stringify({ events: [{ id: 'msg-' + Math.random().toString(36).slice(2, 12), type: 'message', text }] }) }).then((r) => r.json());
  return { token: s.token as string, contact: contact as { id: string; type: string }, conversationId, say };
}

export async function screenshot(page: Page, name: string) {
  mkdirSync(SCREENS, { recursive: true });
  await page.screenshot({ path: join(SCREENS, name + '.png'), fullPage: true });
}

const AXE = readFileSync(join(root, 'node_modules/axe-core/axe.min.js'), 'utf8');
/** axe-core's serious and critical violations on the current page. */
export async function seriousViolations(page: Page) {
  // evaluated, not a <script> tag: the console's CSP refuses inline scripts
  await page.evaluate(AXE);
  const results = await page.evaluate(async () => (window as any).axe.run(document, { resultTypes: ['violations'] }));
  return (results.violations as any[]).filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} — ${v.nodes.map((n: any) => n.target.join(' ')).slice(0, 3).join(', ')}`);
}

/** Tap a control at its centre point, as a person would (element.click() would hide an overlapping element). */
export async function tap(page: Page, target: Locator) {
  await target.scrollIntoViewIfNeeded();
  const box = (await target.boundingBox())!;
  await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
}
