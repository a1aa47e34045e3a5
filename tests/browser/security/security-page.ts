// Shared browser plumbing for the security suite: a host site with a strict CSP (nonce + strict-dynamic),
// CSP-violation capture, and shadow-root text/link readers.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';

const stub = readFileSync(new URL('../../../widget/snippet/stub.min.js', import.meta.url), 'utf8');

/** The exact CSP a strict site owner serves, with a fresh nonce per response. */
export function strictCsp(nonce: string, serverOrigin: string): string {
  return `default-src 'none'; script-src 'nonce-${nonce}' 'strict-dynamic'; style-src 'nonce-${nonce}'; connect-src ${serverOrigin}`;
}

export type CspSite = { origin: string; url(before?: string): string; nonces: string[]; close(): Promise<void> };

/** A host page under `strictCsp`: nonce'd stub, optional nonce'd inline code, nonce'd async snippet. */
export async function startCspSite(serverUrl: string): Promise<CspSite> {
  const nonces: string[] = [];
  const server: Server = createServer((req, res) => {
    const nonce = randomBytes(16).toString('base64');
    nonces.push(nonce);
    const before = new URL(req.url || '/', 'http://x').searchParams.get('before') ?? '';
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'content-security-policy': strictCsp(nonce, serverUrl) });
    res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Strict host</title>
<style nonce="${nonce}">body{font-family:sans-serif}</style>
<script nonce="${nonce}">${stub}</script>
<script nonce="${nonce}">${before}</script>
</head><body><h1>A shop with a strict CSP</h1>
<script nonce="${nonce}" async src="${serverUrl}/widget.js" data-site="default"></script>
</body></html>`);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const origin = 'http://localhost:' + (server.address() as AddressInfo).port;
  return {
    origin,
    nonces,
    url: (before = '') => origin + '/?before=' + encodeURIComponent(before),
    close: () => new Promise((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}

/** Records CSP violations (the DOM event) and CSP console errors of a page. */
export async function captureCsp(page: Page): Promise<() => Promise<string[]>> {
  const consoleHits: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy|Refused to/i.test(m.text())) consoleHits.push(m.text());
  });
  await page.addInitScript(() => {
    (window as any).__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => (window as any).__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`));
  });
  return async () => [...consoleHits, ...((await page.evaluate(() => (window as any).__csp).catch(() => [])) as string[])];
}

/** All text inside the widget's shadow root. */
export const widgetText = (page: Page) => page.evaluate(() => document.getElementById('chative-root')?.shadowRoot?.textContent ?? '');

/** Every <a> in the page, open shadow roots included: href, protocol and rel. */
export const allLinks = (page: Page) =>
  page.evaluate(() => {
    const out: { href: string; protocol: string; rel: string; text: string }[] = [];
    const walk = (root: Document | ShadowRoot) => {
      root.querySelectorAll('a').forEach((a) => out.push({ href: a.getAttribute('href') ?? '', protocol: a.protocol, rel: a.rel, text: a.textContent ?? '' }));
      root.querySelectorAll('*').forEach((el) => el.shadowRoot && walk(el.shadowRoot));
    };
    walk(document);
    return out;
  });
