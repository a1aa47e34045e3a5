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

/** The floor (issue 10): the least a widget could do after load — one open shadow root, one fixed 56 px
 *  button, one adopted sheet, in a task of its own. What this method shows for it is what no widget can beat here. */
export const FLOOR_JS = `(function(){var h=document.createElement('div'),s=h.attachShadow({mode:'open'}),c=new CSSStyleSheet(),b=document.createElement('button');` +
  `c.replaceSync('button{position:fixed;bottom:20px;right:20px;width:56px;height:56px;border:0;border-radius:50%;background:#4f46e5}');` +
  `s.adoptedStyleSheets=[c];b.setAttribute('aria-label','Open chat');s.appendChild(b);document.body.appendChild(h)})()`;

/** The documented embed snippet (widget/snippet/embed.min.js) filled in with `widgetSrc` and the default site. */
export function fillEmbed(embed: string, widgetSrc: string): string {
  return embed.replace('"https://chat.example.com/widget.js","default"', () => JSON.stringify(widgetSrc) + ',"default"');
}

/**
 * Serves /plain.html (no widget), /with.html (the documented snippet: stub + widget.js from `widgetSrc` inserted
 * after load) and /with-tag.html (the alternative: stub + a plain async tag, which the page's load waits for).
 * When `widgetFile` is given it is also served at /widget.js (no chat server: UI cost only).
 * When `peerJs` is given, /peer.html is the same page with the peer widget's bundle at /peer.js, `async` too.
 * When `floor` is set, /floor-js.html has the documented snippet insert FLOOR_JS from http://127.0.0.1:<port>/floor.js
 * (another site, like the chat server's widget.js) and /floor.html runs it inline after load.
 */
export async function startHostServer(opts: { widgetSrc: string; stub: string; embed: string; widgetFile?: string; peerJs?: Buffer; floor?: boolean }): Promise<HostServer> {
  const tagTags = `<script>${opts.stub}</script>\n<script async src="${opts.widgetSrc}" data-site="default"></script>`;
  const pages: Record<string, string> = {
    '/plain.html': hostPage(''),
    '/with.html': hostPage(`<script>${fillEmbed(opts.embed, opts.widgetSrc)}</script>`),
    '/with-tag.html': hostPage(tagTags),
  };
  if (opts.peerJs) pages['/peer.html'] = hostPage('<script async src="/peer.js"></script>');
  if (opts.floor) {
    // The floor inline (no fetch: after load, a task of its own) and as a file the documented snippet inserts, like widget.js.
    pages['/floor.html'] = hostPage(`<script>addEventListener('load',function(){setTimeout(function(){${FLOOR_JS}})})</script>`);
  }
  const widget = opts.widgetFile ? readFileSync(opts.widgetFile) : null;
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (pages[path]) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(pages[path]);
    } else if (path === '/peer.js' && opts.peerJs) {
      // Uncompressed and uncached, like the chat server's widget.js on loopback: the same terms for both.
      res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-store' }).end(opts.peerJs);
    } else if (path === '/floor.js' && opts.floor) {
      res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-store' }).end(FLOOR_JS);
    } else if (path === '/widget.js' && widget) {
      res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-store' }).end(widget);
    } else {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  // The floor script comes from another site (127.0.0.1 for a page on localhost), as widget.js comes from the chat server's.
  if (opts.floor) pages['/floor-js.html'] = hostPage(`<script>${fillEmbed(opts.embed, `http://127.0.0.1:${port}/floor.js`)}</script>`);
  // "localhost" is an allowed widget origin by default (CONTRACT §2); 127.0.0.1 may not be.
  return { origin: `http://localhost:${port}`, close: () => new Promise((r) => server.close(() => r())) };
}
