// Text the server sends as files (the widget's loader and chunks, the console, the demo shop) goes out gzipped when the
// browser accepts it: a bare `npm start` has no proxy in front to do it, and a chatting visitor's ~51 KB of JavaScript
// is ~21 KB gzipped. Compressed once per file version (level 9, CPU spent once) and kept in memory.
import { gzipSync } from 'node:zlib';

const COMPRESSIBLE = /^(text\/|application\/json|image\/svg\+xml)/;
const MIN_BYTES = 256; // smaller bodies gain less than the header costs
const MAX_ENTRIES = 200; // the build is a few dozen files; baked widget.js versions come and go with settings

const cache = new Map<string, Buffer<ArrayBuffer>>();

/** The client's Accept-Encoding allows gzip (RFC 9110: absent, or listed without q=0). */
export function acceptsGzip(header: string | undefined): boolean {
  if (!header) return false;
  return header.split(',').some((part) => {
    const [name, ...params] = part.trim().toLowerCase().split(';').map((s) => s.trim());
    if (name !== 'gzip' && name !== '*') return false;
    const q = params.find((p) => p.startsWith('q='));
    return !q || Number(q.slice(2)) > 0;
  });
}

/** The gzip form of `body` under `key` (one key per exact content), or null when it is not worth compressing. */
export function gzipped(key: string, body: Buffer<ArrayBuffer>, contentType: string): Buffer<ArrayBuffer> | null {
  if (body.length < MIN_BYTES || !COMPRESSIBLE.test(contentType)) return null;
  let z = cache.get(key);
  if (!z) {
    z = gzipSync(body, { level: 9 });
    if (cache.size >= MAX_ENTRIES) cache.delete(cache.keys().next().value as string);
    cache.set(key, z);
  }
  return z.length < body.length ? z : null;
}
