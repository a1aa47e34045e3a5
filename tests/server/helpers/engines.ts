// The Store engines every store-*.test.ts runs against: SQLite (a temp file) and PostgreSQL (this file's database on
// the run's throwaway cluster, tables emptied per open). eachEngine() names a skipped engine and why.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe } from 'vitest';
import { createSqliteStore } from '../../../server-stub/src/storage/sqlite-store.js';
import type { Store } from '../../../server-stub/src/storage/store.js';
import { openPgStore, pgSkip } from './pg.js';

export type Engine = {
  name: 'sqlite' | 'postgres';
  /** A fresh, empty, migrated store; `dispose` closes it and removes what it made. */
  open(): Promise<{ store: Store; dispose(): Promise<void> }>;
  /** The engine rolls back a unit that awaits something outside the store (SQLite can tell; a network engine cannot). */
  enforcesTransactionRule: boolean;
  /** Why this engine cannot run here (its describe block is skipped, the reason in its name), or false. */
  skip: string | false;
};

export const ENGINES: Engine[] = [
  {
    name: 'sqlite',
    enforcesTransactionRule: true,
    skip: false,
    async open() {
      const dir = mkdtempSync(join(tmpdir(), 'chative-conf-'));
      const store = createSqliteStore(join(dir, 'chative.sqlite'));
      return { store, dispose: async () => { await store.close(); rmSync(dir, { recursive: true, force: true }); } };
    },
  },
  {
    name: 'postgres',
    enforcesTransactionRule: false,
    skip: pgSkip ? 'PostgreSQL is not installed (see the line printed at the start of the run)' : false,
    async open() {
      const store = await openPgStore();
      return { store, dispose: () => store.close() };
    },
  },
];

/** describe(`${title}: ${engine}`) once per engine; an engine that cannot run here is skipped with its reason. */
export function eachEngine(title: string, body: (engine: Engine) => void): void {
  for (const engine of ENGINES) describe.skipIf(engine.skip !== false)(`${title}: ${engine.name}${engine.skip ? ` — skipped: ${engine.skip}` : ''}`, () => body(engine));
}
