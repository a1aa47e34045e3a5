// Issue 10: widget.js is served with the site's public config baked in (a first page view makes no request
// but the script), revalidated by ETag, changed by a settings change, and never carrying the secret.
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CONFIG_PLACEHOLDER, bakeConfig } from '../../server-stub/src/http/baked-widget.js';
import { LAUNCHER_WORDS, visitorLang } from '../../server-stub/src/http/launcher-words.js';
import * as fr from '../../widget/src/app/i18n/fr.js';
import { createClient } from './helpers/client.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';

const dist = mkdtempSync(join(tmpdir(), 'chative-dist-'));
afterAll(() => rmSync(dist, { recursive: true, force: true }));
mkdirSync(join(dist, 'widget'), { recursive: true });
// What the build makes of `const c = __CHATIVE_CONFIG__` at the start of a statement (the worst place for a `{`).
writeFileSync(join(dist, 'widget/widget.js'), `!function(){${CONFIG_PLACEHOLDER}.siteId=="default"&&(globalThis.got=${CONFIG_PLACEHOLDER})}();`);
// a window chunk as the build names them (content hash), long enough to be worth compressing
mkdirSync(join(dist, 'widget/widget'), { recursive: true });
const CHUNK = 'export const words = ' + JSON.stringify(Array.from({ length: 200 }, (_, i) => `word ${i}`)) + ';\n';
writeFileSync(join(dist, 'widget/widget/app-Ab12_x.js'), CHUNK);

describe('widget.js with the site config baked in', () => {
  let t: TestApp;
  let api: ReturnType<typeof createClient>;
  beforeEach(async () => {
    t = await createTestApp({ distDir: dist });
    api = createClient((p, i) => t.app.request(p, i), t.agentToken);
  });
  afterEach(() => t.close());

  /** Runs the served script and answers what it read as its config. */
  const run = (code: string) => new Function('globalThis', code + ';return globalThis.got')({}) as unknown;

  it('inlines exactly the public config the config endpoint answers, never the secret', async () => {
    const w = await t.app.request('/widget.js');
    expect(w.status).toBe(200);
    const code = await w.text();
    expect(code).not.toContain(CONFIG_PLACEHOLDER);
    const config = (await api.call('GET', '/v1/sites/default/config')).json;
    expect(run(code)).toEqual(config);
    // npm run size measures widget.js with this config baked in: it is a fresh site's
    expect(config).toEqual(JSON.parse(readFileSync(join(import.meta.dirname, '../size/default-config.json'), 'utf8')));
    expect(code).not.toContain(t.secret);
    expect(w.headers.get('content-type')).toContain('javascript');
    expect(w.headers.get('access-control-allow-origin')).toBe('*');
    expect(w.headers.get('cache-control')).toBe('public, max-age=60');
    expect(w.headers.get('etag')).toMatch(/^"[\w-]{22}"$/);
  });

  it('answers 304 to its own ETag until the settings change, then the new config under a new ETag', async () => {
    const first = await t.app.request('/widget.js');
    const etag = first.headers.get('etag')!;
    const again = await t.app.request('/widget.js', { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
    expect(again.headers.get('etag')).toBe(etag);
    expect(again.headers.get('cache-control')).toBe('public, max-age=60');
    expect((await t.app.request('/widget.js', { headers: { 'if-none-match': `"other", W/${etag}` } })).status).toBe(304);

    expect((await api.agent('PATCH', '/v1/settings', { color: '#112233', greetings: { fr: 'Bonjour !' } })).status).toBe(200);
    const changed = await t.app.request('/widget.js', { headers: { 'if-none-match': etag } });
    expect(changed.status).toBe(200);
    expect(changed.headers.get('etag')).not.toBe(etag);
    expect(run(await changed.text())).toMatchObject({ color: '#112233', greetings: { fr: 'Bonjour !' } });
  });

  it('goes out gzipped to a browser that accepts it (the same bytes once unzipped), as is to one that does not', async () => {
    const bytes = async (r: Response) => Buffer.from(await r.arrayBuffer());
    const plain = await t.app.request('/widget.js');
    const zipped = await t.app.request('/widget.js', { headers: { 'accept-encoding': 'gzip, deflate, br' } });
    expect(plain.headers.get('content-encoding')).toBeNull();
    expect(zipped.headers.get('content-encoding')).toBe('gzip');
    for (const r of [plain, zipped]) expect(r.headers.get('vary')).toBe('Accept-Encoding, Accept-Language');
    const [a, b] = [await bytes(plain), await bytes(zipped)];
    expect(b.length).toBeLessThan(a.length);
    expect(gunzipSync(b).equals(a)).toBe(true);
    // the gzipped form's validator is the plain one marked weak; either revalidates to a 304
    expect(zipped.headers.get('etag')).toBe('W/' + plain.headers.get('etag'));
    const again = await t.app.request('/widget.js', { headers: { 'accept-encoding': 'gzip', 'if-none-match': zipped.headers.get('etag')! } });
    expect(again.status).toBe(304);
    // a window chunk too; `q=0` refuses gzip
    const chunk = await t.app.request('/widget/app-Ab12_x.js', { headers: { 'accept-encoding': 'br;q=1, gzip;q=0.5' } });
    expect(chunk.headers.get('content-encoding')).toBe('gzip');
    expect(gunzipSync(await bytes(chunk)).toString()).toBe(CHUNK);
    const refused = await t.app.request('/widget/app-Ab12_x.js', { headers: { 'accept-encoding': 'gzip;q=0, br' } });
    expect(refused.headers.get('content-encoding')).toBeNull();
    expect(await refused.text()).toBe(CHUNK);
  });

  it('follows a renamed custom field of the form (its label is part of the config)', async () => {
    expect((await api.agent('POST', '/v1/custom-fields', { name: 'Plan', key: 'plan', type: 'text', inForm: true })).status).toBe(201);
    const before = await t.app.request('/widget.js');
    expect(JSON.stringify(run(await before.text()))).toContain('"label":"Plan"');
    expect((await api.agent('PATCH', '/v1/custom-fields/plan', { name: 'Your plan' })).status).toBe(200);
    const after = await t.app.request('/widget.js', { headers: { 'if-none-match': before.headers.get('etag')! } });
    expect(after.status).toBe(200);
    expect(JSON.stringify(run(await after.text()))).toContain('"label":"Your plan"');
  });
});

describe('widget.js per visitor language (the loader is built with English words only)', () => {
  let t: TestApp;
  beforeEach(async () => { t = await createTestApp({ distDir: dist }); });
  afterEach(() => t.close());
  const get = (headers: Record<string, string> = {}) => t.app.request('/widget.js', { headers });
  const run = (code: string) => new Function('globalThis', code + ';return globalThis.got')({}) as { words?: string };

  it('bakes a French browser\'s launcher words from fr.ts; another body and ETag than English, each revalidating to its own 304', async () => {
    const fr1 = await get({ 'accept-language': 'fr-FR,fr;q=0.9,en;q=0.8' });
    const en1 = await get({ 'accept-language': 'en-GB,en;q=0.9,fr;q=0.8' });
    expect([fr1.status, en1.status]).toEqual([200, 200]);
    const [frCode, enCode] = [await fr1.text(), await en1.text()];
    expect(run(frCode).words).toBe('fr|' + fr.launcher);
    expect(run(enCode)).not.toHaveProperty('words'); // English: the loader's own
    expect(enCode).toBe(await (await get()).text());
    const [frTag, enTag] = [fr1.headers.get('etag')!, en1.headers.get('etag')!];
    expect(frTag).not.toBe(enTag);
    for (const r of [fr1, en1]) expect(r.headers.get('vary')).toContain('Accept-Language');
    const fr304 = await get({ 'accept-language': 'fr', 'if-none-match': frTag });
    expect(fr304.status).toBe(304);
    expect(fr304.headers.get('vary')).toContain('Accept-Language');
    expect((await get({ 'accept-language': 'en', 'if-none-match': enTag })).status).toBe(304);
    // a cached French copy offered by an English browser is not current for it
    const crossed = await get({ 'accept-language': 'en', 'if-none-match': frTag });
    expect(crossed.status).toBe(200);
    expect(await crossed.text()).toBe(enCode);
    // the gzipped variants: their own bytes, weak ETags, 304s
    const frZ = await get({ 'accept-language': 'fr', 'accept-encoding': 'gzip' });
    expect(frZ.headers.get('content-encoding')).toBe('gzip');
    expect(frZ.headers.get('vary')).toBe('Accept-Encoding, Accept-Language');
    expect(gunzipSync(Buffer.from(await frZ.arrayBuffer())).toString()).toBe(frCode);
    expect(frZ.headers.get('etag')).toBe('W/' + frTag);
    expect((await get({ 'accept-language': 'fr', 'accept-encoding': 'gzip', 'if-none-match': 'W/' + frTag })).status).toBe(304);
    const enZ = await get({ 'accept-language': 'en', 'accept-encoding': 'gzip' });
    expect(gunzipSync(Buffer.from(await enZ.arrayBuffer())).toString()).toBe(enCode);
  });

  it('gives English, never a 5xx, to an absent, unknown or garbage Accept-Language', async () => {
    const english = await (await get()).text();
    const junk = ['*', 'xx', 'xx-YY, zz;q=0.5', 'q=abc', 'fr;q=abc', 'fr;q=0', 'fr;q=', 'fr;q=2', ';;;,,,', 'constructor', '__proto__, toString',
      'fr;q=0.' + 'x'.repeat(5000), ('xx-XX;q=0.1, ').repeat(400), '\u00e9t\u00e9'];
    for (const header of junk) {
      const r = await get({ 'accept-language': header });
      expect(r.status, header.slice(0, 40)).toBe(200);
      expect(await r.text(), header.slice(0, 40)).toBe(english);
    }
    expect(junk[11].length).toBeGreaterThan(5000);
  });
});

describe('launcher words', () => {
  it('every language of widget/src/app/i18n/ has its launcher words in the table the server bakes from', async () => {
    const dir = join(import.meta.dirname, '../../widget/src/app/i18n');
    const files = readdirSync(dir).filter((f) => f.endsWith('.ts') && f !== 'index.ts');
    expect(files.length).toBeGreaterThanOrEqual(6);
    for (const f of files) {
      const mod = (await import(join(dir, f))) as { lang: string; launcher?: string };
      expect(mod.launcher, f).toBeTypeOf('string');
      expect(LAUNCHER_WORDS[mod.lang], f + ' in server-stub/src/http/launcher-words.ts').toBe(mod.launcher);
      const parts = mod.launcher!.split('|');
      expect([4, 5], f).toContain(parts.length); // open|close|loading|failed[|title]
      for (const p of parts) expect(p.trim(), f).not.toBe('');
    }
    expect(Object.keys(LAUNCHER_WORDS).sort()).toEqual(files.map((f) => f.slice(0, -3)).sort());
  });

  it('picks by q, then by order, the base language of a regional tag', () => {
    expect(visitorLang('de-CH, fr;q=0.9')).toBe('de');
    expect(visitorLang('en;q=0.5, fr')).toBe('fr');
    expect(visitorLang('en, fr')).toBe('en');
    expect(visitorLang('fr;q=0.5, vi;q=0.8')).toBe('vi');
    expect(visitorLang('xx, pt-BR;q=0.3')).toBe('pt');
    expect(visitorLang('FR-ca')).toBe('fr');
    expect(visitorLang('es ; Q = 0.7 , de;q=0.6')).toBe('es');
    expect(visitorLang(undefined)).toBe('en');
  });
});

describe('bakeConfig', () => {
  it('keeps a config that tries to end the expression a plain value', () => {
    const config = { greeting: '})();alert(1);({', note: '\u2028</script>' };
    const code = bakeConfig(`globalThis.got=${CONFIG_PLACEHOLDER};`, config);
    expect(new Function('globalThis', code + ';return globalThis.got')({})).toEqual(config);
  });
  it('leaves a build without the placeholder as it is', () => {
    expect(bakeConfig('console.log(1)', { a: 1 })).toBe('console.log(1)');
  });
});
