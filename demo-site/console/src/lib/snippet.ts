// The CONTRACT §3 queue stub (same text as widget/snippet/stub.min.js) and the embed snippet built from it.
export const STUB = `!function(w){var c=w.Chative=w.Chative||{q:[]};"identify update open close toggle on off getContact reset".split(" ").forEach(function(m){c[m]=c[m]||function(){var a=arguments;return new Promise(function(r,j){c.q.push([m,a,r,j])})}})}(window);`;

/** The documented embed (same text as widget/snippet/embed.min.js): the stub, then widget.js inserted after the page's load. */
export const EMBED = `!function(w,d,s,i){var c=w.Chative=w.Chative||{q:[]};"identify update open close toggle on off getContact reset".split(" ").forEach(function(m){c[m]=c[m]||function(){var a=arguments;return new Promise(function(r,j){c.q.push([m,a,r,j])})}});function l(){var e=d.createElement("script");e.async=!0;e.src=s;e.setAttribute("data-site",i);d.head.appendChild(e)}d.readyState=="complete"?l():w.addEventListener("load",function(){setTimeout(l)})}(window,document,"https://chat.example.com/widget.js","default");`;

/** The snippet a site owner pastes, filled in with this server's origin (issue 10: widget.js never holds the page's load). */
export function embedSnippet(origin: string, siteId = 'default'): string {
  return `<script>${EMBED.replace('"https://chat.example.com/widget.js","default"', () => JSON.stringify(origin + '/widget.js') + ',' + JSON.stringify(siteId))}</script>`;
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
