// Content-Security-Policy for the pages the server serves (console, demo shop): same-origin only, never framed.
import { createHash } from 'node:crypto';

const INLINE_SCRIPT = /<script(?![^>]*\ssrc=)[^>]*>([\s\S]*?)<\/script>/gi;
const INLINE_HANDLER = /\son[a-z]+\s*=\s*"([^"]*)"/gi;
const ENTITIES: Record<string, string> = { '&amp;': '&', '&quot;': '"', '&#39;': "'", '&lt;': '<', '&gt;': '>' };

const sha = (text: string) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

/**
 * The policy of one HTML page: scripts from this origin plus the page's own inline scripts and handlers by
 * hash (the demo shop's stub and buttons), so no 'unsafe-inline'; styles, images and connections same-origin.
 */
export function pageCsp(html: string): string {
  const scripts = [...html.matchAll(INLINE_SCRIPT)].map((m) => sha(m[1]));
  // inline handlers are hashed over the decoded attribute value, and need 'unsafe-hashes' to match
  const handlers = [...html.matchAll(INLINE_HANDLER)].map((m) => sha(m[1].replace(/&(amp|quot|#39|lt|gt);/g, (e) => ENTITIES[e])));
  const scriptSrc = ["'self'", ...new Set(scripts), ...(handlers.length ? ["'unsafe-hashes'", ...new Set(handlers)] : [])].join(' ');
  return [
    "default-src 'self'",
    `script-src ${scriptSrc}`,
    "style-src 'self'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** Headers for every HTML page: its CSP and the legacy framing ban for browsers without frame-ancestors. */
export function pageHeaders(html: string): Record<string, string> {
  return { 'content-security-policy': pageCsp(html), 'x-frame-options': 'DENY' };
}
