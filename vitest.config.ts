import { defineConfig } from 'vitest/config';

// Three projects, all run by `npm test`:
//   unit    : pure functions, happy-dom + fake-indexeddb components (fast, parallel)
//   server  : the Hono app in-process and the real server as a child process on loopback
//   browser : the built bundle, console and demo in real headless Chromium (serial: 2 cores)
export default defineConfig({
  test: {
    // fast-check's seed from CHATIVE_FUZZ_SEED, so a property failure replays exactly
    setupFiles: ['tests/setup/fast-check-seed.ts'],
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['tests/unit/**/*.test.{ts,tsx}'], environment: 'node' },
      },
      {
        extends: true,
        // globalSetup: a throwaway PostgreSQL cluster for the store-*.test.ts PostgreSQL runs (skipped, said once, without it)
        test: { name: 'server', include: ['tests/server/**/*.test.ts'], environment: 'node', testTimeout: 60_000, hookTimeout: 60_000, globalSetup: ['tests/setup/pg-cluster.ts'] },
      },
      {
        extends: true,
        test: {
          name: 'browser',
          include: ['tests/browser/**/*.test.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
