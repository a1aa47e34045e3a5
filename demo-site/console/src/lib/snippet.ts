// The CONTRACT §3 queue stub (same text as widget/snippet/stub.min.js) and the embed snippet built from it.
export const STUB = `!function(w){var c=w.Chative=w.Chative||{q:[]};"identify update open close toggle on off getContact reset".split(" ").forEach(function(m){c[m]=c[m]||function(){var a=arguments;return new Promise(function(r,j){c.q.push([m,a,r,j])})}})}(window);`;

/** The snippet a site owner pastes, filled in with this server's origin. */
export function embedSnippet(origin: string, siteId = 'default'): string {
  return `<script>${STUB}</script>\n<script async src="${origin}/widget.js" data-site="${siteId}"></script>`;
}

/** A server-side example of computing userHash (CONTRACT §4). */
export function userHashExample(): string {
  return `// Node.js, on your server — never in the browser
import { createHmac } from 'node:crypto';

const userHash = createHmac('sha256', process.env.CHATIVE_SITE_SECRET)
  .update(String(customer.id), 'utf8')
  .digest('hex'); // 64 lowercase hex characters

// then, in the page: Chative.identify(customer.id, { userHash, name, email })`;
}
