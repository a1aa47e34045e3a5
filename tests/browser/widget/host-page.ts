// A host site on its own origin (http://localhost:<free port>) that embeds the widget from the
// real server (http://127.0.0.1:<port>): the widget is always cross-origin, as on a customer site.
import { createServer, type Server } from 'node:http';
import { readFileSync } from 'node:fs';
import { createHmac } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type Page } from 'playwright-core';
import { expect, beforeAll, afterAll } from 'vitest';
import { startServer, type RunningServer } from '../../server/helpers/spawn-server';

const stub = readFileSync(new URL('../../../widget/snippet/stub.min.js', import.meta.url), 'utf8');
const embed = readFileSync(new URL('../../../widget/snippet/embed.min.js', import.meta.url), 'utf8');

/** `embed: true`: the documented snippet (stub + widget.js inserted after load) instead of stub + async tag. */
export interface PageOptions { stub?: boolean; embed?: boolean; consent?: boolean; lang?: string; head?: string; before?: string; body?: string; site?: string }

/** The documented embed snippet, filled in as a site owner would (the script URL and the site id). */
export const embedSnippet = (serverUrl: string, site = 'default') =>
  embed.replace('"https://chat.example.com/widget.js","default"', () => JSON.stringify(serverUrl + '/widget.js') + ',' + JSON.stringify(site));

/** The page a site owner writes: optional stub, optional early calls, then the one-line snippet. */
export function hostHtml(serverUrl: string, o: PageOptions = {}): string {
  const head = o.embed ? `<script>${embedSnippet(serverUrl, o.site)}</script>` : o.stub === false ? '' : `<script>${stub}</script>`;
  return `<!doctype html><html lang="${o.lang || 'en'}"><head><meta charset="utf-8"><title>Host</title>${o.head || ''}
${head}
${o.before ? `<script>${o.before}</script>` : ''}
</head><body><h1>Host page</h1>${o.body || ''}
${o.embed ? '' : `<script async src="${serverUrl}/widget.js" data-site="${o.site || 'default'}"${o.consent ? ' data-consent="on-open"' : ''}></script>`}
</body></html>`;
}

export interface HostSite { origin: string; url(o?: PageOptions): string; close(): Promise<void> }

/** Serves /?o=<base64url JSON options> as a host page built by hostHtml. */
export async function startHostSite(serverUrl: string): Promise<HostSite> {
  const server: Server = createServer((req, res) => {
    const q = new URL(req.url || '/', 'http://x').searchParams.get('o');
    const opts = q ? JSON.parse(Buffer.from(q, 'base64url').toString()) : {};
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    res.end(hostHtml(serverUrl, opts));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const origin = 'http://localhost:' + (server.address() as AddressInfo).port;
  return {
    origin,
    url: (o = {}) => origin + '/?o=' + Buffer.from(JSON.stringify(o)).toString('base64url'),
    close: () => new Promise((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** userHash as a host backend computes it (CONTRACT §4). */
export const userHash = (secret: string, customerId: string) => createHmac('sha256', secret).update(customerId, 'utf8').digest('hex');

/** Agent API call with the agent token. */
export async function agent(serverUrl: string, token: string, path: string, init: { method?: string; body?: unknown } = {}) {
  const res = await fetch(serverUrl + path, {
    method: init.method || 'GET',
    headers: { authorization: 'Bearer ' + token, 'content-type': 'application/json' },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${init.method || 'GET'} ${path} → ${res.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

/** The conversation of a contact, as the agent console finds it. */
export async function conversationOf(serverUrl: string, token: string, contactId: string): Promise<string> {
  const list = await agent(serverUrl, token, '/v1/conversations?limit=200');
  const hit = list.items.find((c: { contactId: string }) => c.contactId === contactId);
  if (!hit) throw new Error('no conversation for ' + contactId);
  return hit.id;
}

/** Chative.getContact() in the page, waiting for the bundle and the session. */
export const contactIn = (page: Page) =>
  page.waitForFunction(() => (window as any).Chative?.getContact).then(() =>
    page.evaluate(() => (window as any).Chative.getContact()) as Promise<{ id: string; type: string; name: string | null; email: string | null; customerId: string | null }>);

/** Open the chat and send one message via the composer. */
export async function sendViaComposer(page: Page, text: string) {
  const box = page.getByRole('textbox', { name: 'Message' });
  await box.fill(text);
  await box.press('Enter');
}

/** expect.poll with room for a loaded 2-core CI machine (vitest's default is 1 s). */
export const poll = <T>(fn: () => T | Promise<T>, opts: { timeout?: number } = {}) =>
  expect.poll(fn, { timeout: 15_000, interval: 100, ...opts });

/** The usual stack of a widget browser test — the real server, a host site on another origin and
 *  Chromium — started before the file's tests and stopped after them; `use` receives it. */
export function useWidgetStack(
  use: (s: { server: RunningServer; host: HostSite; browser: Browser }) => void,
  options: Parameters<typeof startServer>[0] = {},
): void {
  let s: { server: RunningServer; host: HostSite; browser: Browser } | undefined;
  beforeAll(async () => {
    const server = await startServer(options);
    const host = await startHostSite(server.url);
    s = { server, host, browser: await launchChromium() };
    use(s);
  });
  afterAll(async () => {
    await s?.browser.close();
    await s?.host.close();
    await s?.server.stop();
  });
}
