// widget.js with the site's public config baked in, so a first page view makes no request but the script
// (issue 10). The built loader reads `self.__chative_config__` (vite.config.ts); the server swaps that
// expression for the JSON. A widget.js served as a plain file (a CDN) finds it undefined and fetches the config.
import { createHash } from 'node:crypto';
import { bakedWords, visitorLang } from './launcher-words.js';

export const CONFIG_PLACEHOLDER = 'self.__chative_config__';

/** The loader's code with the config inlined; the code unchanged when it holds no placeholder (an old build). */
export function bakeConfig(code: string, config: unknown): string {
  // In parentheses: at the start of a statement a bare `{` would open a block, not an object.
  return code.replaceAll(CONFIG_PLACEHOLDER, () => '(' + JSON.stringify(config) + ')');
}

/** widget.js for one visitor: the config plus the launcher words of their Accept-Language (none for English, the
 *  loader's own), so one variant per language (tests/size/size.mjs measures the French one with this too). */
export function bakeForVisitor(code: string, config: unknown, acceptLanguage: string | undefined): string {
  const words = bakedWords(visitorLang(acceptLanguage));
  return bakeConfig(code, words ? { ...(config as object), words } : config);
}

/** A strong validator of the exact bytes: equal on every instance that serves the same build and settings. */
export const etagOf = (body: string | Buffer) => '"' + createHash('sha256').update(body).digest('base64url').slice(0, 22) + '"';

/** If-None-Match names this ETag (a list, weak or not, or `*`): the client's copy is current. */
export function matchesEtag(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch.split(',').some((t) => { const v = t.trim(); return v === '*' || v.replace(/^W\//, '') === etag; });
}
