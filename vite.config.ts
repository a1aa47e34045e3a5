import { defineConfig } from 'vite';
import { resolve } from 'node:path';
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';

// Two builds from one config (see package.json "build"):
//   --mode widget : the embeddable bundle, one IIFE file -> dist/widget/widget.js
//   --mode app    : the demo host site and the agent console, multi-page -> dist/site/
export default defineConfig(({ mode }) => {
  const root = import.meta.dirname;
  if (mode === 'widget') {
    return {
      plugins: [
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
        emptyOutDir: true,
        target: 'es2020',
        lib: {
          entry: resolve(root, 'widget/src/loader/entry.ts'),
          name: 'ChativeBundle',
          formats: ['iife'],
          fileName: () => 'widget.js',
        },
        minify: true,
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
