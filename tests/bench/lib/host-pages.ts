// A plain host page, served on loopback with and without the widget, for the host-page figures.
import { createServer, type Server } from 'node:http';
import { readFileSync } from 'node:fs';

/** A small article page: text, a heading, a footer — what most sites put a chat widget on. */
export function hostPage(widgetTags: string): string {
  const paras = Array.from({ length: 12 }, (_, i) =>
    `<p>Paragraph ${i + 1}. Our shop sells sturdy things for everyday use, shipped within two days. ` +
    'Questions about sizes, delivery or returns? We answer them in the chat.</p>').join('\n');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Host page</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:42rem;margin:2rem auto;padding:0 1rem;color:#222}</style>
${widgetTags}</head><body><h1>A plain host page</h1>
${paras}
<footer>© Host Inc.</footer></body></html>`;
}

export type HostServer = { origin: string; close(): Promise<void> };

/** The documented embed snippet (widget/snippet/embed.min.js) filled in with `widgetSrc` and the default site. */
export function fillEmbed(embed: string, widgetSrc: string): string {
  return embed.replace('"https://chat.example.com/widget.js","default"', () => JSON.stringify(widgetSrc) + ',"default"');
}

/**
 * Serves /plain.html (no widget), /with.html (the documented snippet: stub + widget.js from `widgetSrc` inserted
 * after load) and /with-tag.html (the alternative: stub + a plain async tag, which the page's load waits for).
 * When `widgetFile` is given it is also served at /widget.js (no chat server: UI cost only).
 * When `peerJs` is given, /peer.html is the same page with the peer widget's bundle at /peer.js, `async` too.
 */
export async function startHostServer(opts: { widgetSrc: string; stub: string; embed: string; widgetFile?: string; peerJs?: Buffer }): Promise<HostServer> {
  const tagTags = `<script>${opts.stub}</script>\n<script async src="${opts.widgetSrc}" data-site="default"></script>`;
  const pages: Record<string, string> = {
    '/plain.html': hostPage(''),
    '/with.html': hostPage(`<script>${fillEmbed(opts.embed, opts.widgetSrc)}</script>`),
    '/with-tag.html': hostPage(tagTags),
  };
  if (opts.peerJs) pages['/peer.html'] = hostPage('<script async src="/peer.js"></script>');
  const widget = opts.widgetFile ? readFileSync(opts.widgetFile) : null;
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (pages[path]) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(pages[path]);
    } else if (path === '/peer.js' && opts.peerJs) {
      // Uncompressed and uncached, like the chat server's widget.js on loopback: the same terms for both.
      res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-store' }).end(opts.peerJs);
    } else if (path === '/widget.js' && widget) {
      res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-store' }).end(widget);
    } else {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  // "localhost" is an allowed widget origin by default (CONTRACT §2); 127.0.0.1 may not be.
  return { origin: `http://localhost:${port}`, close: () => new Promise((r) => server.close(() => r())) };
}
