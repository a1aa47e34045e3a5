// What the built widget must not carry (issue 10's byte budgets; figures in tests/size/report.md): each
// check is a weight once measured in the bundle and taken out. Reads the build like the other browser tests.
import { describe, it, expect } from 'vitest';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { launcherCss, shellCss } from '../../../widget/src/loader/styles';
import { srCss, windowCss } from '../../../widget/src/app/styles';
import { LAUNCHER_WORDS } from '../../../server-stub/src/http/launcher-words';
import { CONFIG_PLACEHOLDER } from '../../../server-stub/src/http/baked-widget';

const dist = fileURLToPath(new URL('../../../dist/widget/', import.meta.url));
const read = (f: string) => readFileSync(dist + f, 'utf8');
const chunks = existsSync(dist + 'widget') ? readdirSync(dist + 'widget') : [];
const appFile = chunks.find((f) => /^app-[\w-]+\.js$/.test(f));
const langFiles = chunks.filter((f) => f !== appFile);

describe('the built widget (npm run build first)', () => {
  it('has a loader, a window module and five language chunks', () => {
    expect(existsSync(dist + 'widget.js')).toBe(true);
    expect(appFile).toBeTruthy();
    expect(langFiles.map((f) => f.slice(0, 2)).sort()).toEqual(['de', 'es', 'fr', 'pt', 'vi']);
  });

  it("the window's module has no Vite preload helper and no class-field helpers", () => {
    const app = read('widget/' + appFile);
    // (booleans, not toContain: a failure would print the whole bundle)
    expect(app.includes('vite:preloadError'), '__vitePreload (1.3 KB gzip) around the language import()s').toBe(false);
    expect(app.includes('modulepreload'), 'modulepreload').toBe(false);
    expect(app.includes('Symbol.toPrimitive'), 'the defineProperty helpers of transpiled class fields').toBe(false);
  });

  it('the loader has one place for the server to bake the site config into, and no config read of its own', () => {
    const loader = read('widget.js');
    expect(loader.split(CONFIG_PLACEHOLDER).length - 1).toBe(1);
    expect(loader.includes('/config'), 'a fetch of /v1/sites/:id/config').toBe(false);
  });

  it("the loader carries no limits table (the queue's import chain used to drag it in)", () => {
    expect(read('widget.js').includes('bodyBytes')).toBe(false);
  });

  it('the loader speaks English only; each language chunk carries its own launcher words for the window to hand over', () => {
    const loader = read('widget.js');
    expect(loader.includes(LAUNCHER_WORDS.en), 'English launcher words').toBe(true);
    for (const f of langFiles) {
      const words = LAUNCHER_WORDS[f.slice(0, 2)];
      expect(loader.includes(words.split('|')[0]), 'the loader: ' + words).toBe(false);
      expect(read('widget/' + f).includes(words), f).toBe(true);
    }
    // English's are the loader's: the window module hands none over (no second copy for every visitor)
    expect(read('widget/' + appFile).includes(LAUNCHER_WORDS.en)).toBe(false);
  });

  it('the stylesheets ship without their newlines, otherwise unchanged', () => {
    const loader = read('widget.js');
    const app = read('widget/' + appFile);
    for (const css of [launcherCss, shellCss]) expect(loader.includes(css.replace(/\n/g, '')), css.slice(0, 40)).toBe(true);
    expect(app.includes(windowCss.slice(srCss.length).replace(/\n/g, '')), 'windowCss').toBe(true);
    expect(/\\n[.@:}]/.test(loader + app), 'a \\n before a rule').toBe(false);
  });
});
