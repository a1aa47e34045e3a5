import { defineConfig, type Plugin, type UserConfig } from 'vite';
import { resolve } from 'node:path';
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';

// Three builds from one config (see package.json "build"):
//   --mode widget-app : the chat window's ES modules -> dist/widget/widget/*.js (first: it empties dist/widget)
//   --mode widget     : the loader site owners paste, one IIFE file -> dist/widget/widget.js
//   --mode app    : the demo host site and the agent console, multi-page -> dist/site/
// Vite wraps every dynamic import in __vitePreload (1.3 KB gzip) to preload the chunk's own imports and
// CSS. The window's language chunks import nothing and there is no CSS file, so a plain import() does.
const noPreloadHelper: Plugin = {
  name: 'chative-no-preload-helper',
  enforce: 'pre',
  resolveId: (id) => (id === '\0vite/preload-helper.js' ? id : null),
  load: (id) => (id === '\0vite/preload-helper.js' ? 'export const __vitePreload = (f) => f();' : null),
  // …and the calls go too: `() => import(x)` instead of `() => __vitePreload(() => import(x), …)`, and the glob's
  // `Object.assign({…})` a plain object literal (-20 B gzip in the window's module).
  renderChunk: (code) => ({
    code: code
      .replace(/__vitePreload\(\(\) => (import\("[^"]+"\)), __VITE_PRELOAD__\)/g, '$1')
      .replace(/\/\* #__PURE__ \*\/ Object\.assign\((?=\{\s*"\.\/)/g, '('),
    map: null,
  }),
};

// The stylesheets are template literals written one rule per line: the newlines go at build time (-41 B gzip).
const cssWithoutNewlines: Plugin = {
  name: 'chative-css-without-newlines',
  transform(code, id) {
    if (!/widget\/src\/(loader|app)\/styles\.ts$/.test(id)) return null;
    return { code: code.replace(/`\n[^`]*`/g, (css) => css.replace(/\n/g, '')), map: null };
  },
};

// terser instead of Vite 8's default (oxc) for the widget, measured with `npm run size`: 18 B less in the
// loader, 132 B less for a chatting visitor; hoist_funs another 61 B in the window (issue 10, second pass). `unsafe` only rewrites builtins we never patch; the two-letter
// `__x` properties are Preact's internal names (never ours: the loader's and window's shared names are plain words).
const minifier = {
  minify: 'terser' as const,
  terserOptions: {
    toplevel: true,
    compress: { passes: 3, ecma: 2020 as const, unsafe: true, unsafe_arrows: true, unsafe_methods: true, hoist_funs: true },
    mangle: { properties: { regex: /^__[a-zA-Z]$/ } },
    format: { ecma: 2020 as const, comments: false },
  },
};

export default defineConfig(({ mode }): UserConfig => {
  const root = import.meta.dirname;
  if (mode === 'widget-app') {
    // The window's code as ES modules: dist/widget/widget/app-<hash>.js plus one chunk per language.
    // Hashed names: served immutable; the loader learns the entry's name from this build's manifest.
    return {
      plugins: [noPreloadHelper, cssWithoutNewlines],
      build: {
        outDir: resolve(root, 'dist/widget'),
        emptyOutDir: true,
        manifest: true,
        ...minifier,
        target: 'es2020',
        sourcemap: false,
        modulePreload: false,
        rollupOptions: {
          input: { app: resolve(root, 'widget/src/app/entry.ts') },
          preserveEntrySignatures: 'exports-only' as const,
          output: { format: 'es' as const, entryFileNames: 'widget/[name]-[hash].js', chunkFileNames: 'widget/[name]-[hash].js' },
        },
      },
    };
  }
  if (mode === 'widget') {
    // The loader, one IIFE: dist/widget/widget.js, the one URL site owners paste (after widget-app).
    const manifest = JSON.parse(readFileSync(resolve(root, 'dist/widget/.vite/manifest.json'), 'utf8'));
    const app = (Object.values(manifest) as { isEntry?: boolean; file: string }[]).find((c) => c.isEntry)!.file;
    return {
      // __CHATIVE_CONFIG__: an expression the server swaps for the site's public config (http/baked-widget.ts).
      define: { __CHATIVE_APP__: JSON.stringify(app.replace(/^widget\//, '')), __CHATIVE_CONFIG__: 'self.__chative_config__' },
      plugins: [
        cssWithoutNewlines,
        {
          // Ship the integrators' types beside the bundle: dist/widget/widget.d.ts
          name: 'chative-copy-types',
          closeBundle() {
            const src = resolve(root, 'widget/types/chative.d.ts');
            if (!existsSync(src)) return;
            mkdirSync(resolve(root, 'dist/widget'), { recursive: true });
            copyFileSync(src, resolve(root, 'dist/widget/widget.d.ts'));
          },
        },
      ],
      build: {
        outDir: resolve(root, 'dist/widget'),
        emptyOutDir: false,
        lib: {
          entry: resolve(root, 'widget/src/loader/entry.ts'),
          name: 'ChativeLoader',
          formats: ['iife' as const],
          fileName: () => 'widget.js',
        },
        ...minifier,
        target: 'es2020',
        sourcemap: false,
      },
    };
  }
  return {
    root: resolve(root, 'demo-site'),
    base: '/',
    build: {
      outDir: resolve(root, 'dist/site'),
      emptyOutDir: true,
      target: 'es2020',
      rollupOptions: {
        input: {
          shop: resolve(root, 'demo-site/index.html'),
          console: resolve(root, 'demo-site/console/index.html'),
        },
      },
    },
  };
});
