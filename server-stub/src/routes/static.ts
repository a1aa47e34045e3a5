// Serves the built widget, demo shop and console from dist/; a hint page when the build is missing.
import { Hono, type Context } from 'hono';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { pageHeaders } from '../http/page-csp.js';
import { bakeForVisitor, etagOf, matchesEtag } from '../http/baked-widget.js';
import { acceptsGzip, gzipped } from '../http/compressed.js';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8', '.svg': 'image/svg+xml', '.png': 'image/png', '.ico': 'image/x-icon', '.json': 'application/json',
  '.woff2': 'font/woff2', '.ts': 'text/plain; charset=utf-8', '.map': 'application/json', '.webp': 'image/webp', '.jpg': 'image/jpeg',
};

const MISSING = `<!doctype html><meta charset="utf-8"><title>Chative</title><p>This part of Chative is not built yet: run <code>npm run build</code> (or <code>npm start</code>), then reload.</p>`;

/** A file inside root, or null (never outside root: no traversal). */
function fileIn(root: string, rel: string): string | null {
  const full = normalize(join(root, rel));
  if (full !== root && !full.startsWith(root + sep)) return null;
  return existsSync(full) && statSync(full).isFile() ? full : null;
}

export interface StaticOptions {
  /** The public config of the site widget.js is baked for (the default site): none, and widget.js is served as built. */
  siteConfig?: () => Promise<unknown>;
}

export function staticRoutes(distDir: string, opts: StaticOptions = {}) {
  const r = new Hono();
  const widgetDir = resolve(distDir, 'widget');
  const siteDir = resolve(distDir, 'site');
  /** 200 with `body`, gzipped when the client takes it and it pays (`key` names this exact content). */
  const ok = (c: Context, key: string, body: Buffer<ArrayBuffer>, headers: Record<string, string>) => {
    const z = gzipped(key, body, headers['content-type'] ?? '');
    if (!z) return c.body(body, 200, headers);
    const vary = { vary: headers.vary ?? 'Accept-Encoding' }; // widget.js names Accept-Language too
    if (!acceptsGzip(c.req.header('accept-encoding'))) return c.body(body, 200, { ...headers, ...vary });
    // another representation of the same content: its validator is weak (as nginx's gzip makes it); If-None-Match
    // compares weakly, so either form revalidates to a 304
    const out: Record<string, string> = { ...headers, ...vary, 'content-encoding': 'gzip' };
    if (headers.etag) out.etag = 'W/' + headers.etag;
    return c.body(z, 200, out);
  };
  const send = (c: Context, file: string | null, headers: Record<string, string> = {}) => {
    if (!file) return c.html(MISSING, 404, pageHeaders(MISSING));
    const body = readFileSync(file);
    // every HTML page gets its CSP and may not be framed (clickjacking of the console)
    const page = extname(file) === '.html' ? pageHeaders(body.toString('utf8')) : {};
    const st = statSync(file);
    return ok(c, `${file}:${st.mtimeMs}:${st.size}`, body, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'x-content-type-options': 'nosniff', ...page, ...headers });
  };

  const widgetHeaders = { 'cache-control': 'public, max-age=300', 'access-control-allow-origin': '*' };
  // The loader with the site config inlined: it changes when the settings do, so a minute of freshness (as
  // the config read had), then a revalidation by ETag that answers 304 while nothing changed.
  r.get('/widget.js', async (c) => {
    const file = fileIn(widgetDir, 'widget.js');
    if (!file || !opts.siteConfig) return send(c, file, widgetHeaders);
    // The store unreachable: the loader as built still works (it reads the config itself), never cached.
    const config = await opts.siteConfig().catch(() => undefined);
    if (config === undefined) return send(c, file, { 'cache-control': 'no-store', 'access-control-allow-origin': '*' });
    // The launcher's words of the visitor's language go in too (English: the loader's own), so one variant per
    // language: its own body, ETag and gzip copy, and caches told to key on Accept-Language.
    const body = bakeForVisitor(readFileSync(file, 'utf8'), config, c.req.header('accept-language'));
    const etag = etagOf(body);
    const headers = { 'cache-control': 'public, max-age=60', 'access-control-allow-origin': '*', etag, 'x-content-type-options': 'nosniff', vary: 'Accept-Encoding, Accept-Language' };
    if (matchesEtag(c.req.header('if-none-match'), etag)) return c.body(null, 304, headers);
    return ok(c, 'widget.js:' + etag, Buffer.from(body), { 'content-type': TYPES['.js'], ...headers });
  });
  r.get('/widget.d.ts', (c) => send(c, fileIn(widgetDir, 'widget.d.ts'), widgetHeaders));
  // The window's modules, fetched by widget.js on intent: content-hashed names, so cached for good.
  // Module scripts load in CORS mode, hence the allow-origin.
  r.get('/widget/:file{[A-Za-z0-9_-]+\\.js}', (c) => send(c, fileIn(join(widgetDir, 'widget'), c.req.param('file')),
    { 'cache-control': 'public, max-age=31536000, immutable', 'access-control-allow-origin': '*' }));

  r.get('/console', (c) => c.redirect('/console/', 301));
  r.get('/console/*', (c) => {
    const rel = decodeURIComponent(new URL(c.req.url).pathname.slice('/console/'.length));
    // a path without a file extension is a console route: answer its single page
    return send(c, (rel && fileIn(join(siteDir, 'console'), rel)) || (extname(rel) ? null : fileIn(siteDir, 'console/index.html')), { 'cache-control': 'no-cache' });
  });
  r.get('/', (c) => send(c, fileIn(siteDir, 'index.html'), { 'cache-control': 'no-cache' }));
  r.get('/assets/*', (c) => send(c, fileIn(siteDir, decodeURIComponent(new URL(c.req.url).pathname)), { 'cache-control': 'public, max-age=31536000, immutable' }));
  r.get('/:page{[A-Za-z0-9_-]+\\.html}', (c) => send(c, fileIn(siteDir, c.req.param('page')), { 'cache-control': 'no-cache' }));
  return r;
}
