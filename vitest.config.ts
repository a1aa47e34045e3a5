import { existsSync, readdirSync } from 'node:fs';
import { defineConfig } from 'vitest/config';

// PostgreSQL installed (Debian's layout)? Then the server-pg project runs HTTP flows on it; else it is left out and
// tests/setup/pg-cluster.ts prints the one line saying what was skipped and why.
const hasPg = existsSync('/usr/lib/postgresql') && readdirSync('/usr/lib/postgresql').some((v) => existsSync(`/usr/lib/postgresql/${v}/bin/initdb`));
// HTTP flows (sync, contacts, stream, merge, agent API, security rules, team, data) that run again on PostgreSQL:
// in-process apps via test-app.ts, spawned servers via spawn-server.ts (a fresh database per DATA_DIR as DATABASE_URL);
// checks on stored rows go through helpers/db-peek.ts. Files that read the SQLite file's bytes or pragmas
// (security/identity, security/idempotency, …) stay SQLite-only; erase.test.ts checks live rows there instead of bytes.
const PG_FLOWS = [
  'sync', 'merge', 'stream', 'agent-api', 'conversations-filter', 'contract', 'edges', 'limits', 'phones',
  'durability', 'route-groups', 'security/data-rules', 'security/settings-config', 'security/verification-off', 'security/widget-view',
  // issue 12 (conditions, segments, jobs, rules, webhooks, schedule) on PostgreSQL; webhook-kill spawns servers with DATABASE_URL
  'search', 'rules', 'webhooks', 'schedule', 'webhook-queue', 'webhook-kill',
  // issue 11 (team) and 13 (data) on PostgreSQL
  'export', 'export-one', 'import', 'import-create', 'bulk-tag', 'manual-merge', 'retention', 'erase', 'team-auth', 'team-inbox', 'team-setup', 'role-matrix',
  // issue 10: widget.js with the site config baked in (its custom-field labels come from the store)
  'widget-js',
].map((f) => `tests/server/${f}.test.ts`);

// Four projects, all run by `npm test`:
//   unit    : pure functions, happy-dom + fake-indexeddb components (fast, parallel)
//   server  : the Hono app in-process and the real server as a child process on loopback
//   server-pg: a slice of the server files again with the store on PostgreSQL (only when PostgreSQL is installed)
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
      ...(hasPg
        ? [{
            extends: true as const,
            test: {
              name: 'server-pg',
              include: PG_FLOWS,
              environment: 'node',
              env: { CHATIVE_TEST_ENGINE: 'pg' },
              testTimeout: 60_000,
              hookTimeout: 60_000,
              globalSetup: ['tests/setup/pg-cluster.ts'],
            },
          }]
        : []),
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
