import { defineConfig } from 'vite';
import { resolve } from 'node:path';

// Two builds from one config (see package.json "build"):
//   --mode widget : the embeddable bundle, one IIFE file -> dist/widget/widget.js
//   --mode app    : the demo host site and the agent console, multi-page -> dist/site/
export default defineConfig(({ mode }) => {
  const root = import.meta.dirname;
  if (mode === 'widget') {
    return {
      build: {
        outDir: resolve(root, 'dist/widget'),
        emptyOutDir: true,
        target: 'es2020',
        lib: {
          entry: resolve(root, 'widget/src/main.ts'),
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
