// What every Store engine must do for the schedule, webhooks and rules (storage/automation-store.ts), written
// against the interface only, with the engine-factory pattern of store-conformance.test.ts.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSqliteStore } from '../../server-stub/src/storage/sqlite-store.js';
import type { Store } from '../../server-stub/src/storage/store.js';

type Engine = { name: string; open(): Promise<{ store: Store; dispose(): Promise<void> }> };

const ENGINES: Engine[] = [
  {
    name: 'sqlite',
    async open() {
      const dir = mkdtempSync(join(tmpdir(), 'chative-auto-'));
      const store = createSqliteStore(join(dir, 'chative.sqlite'));
      return { store, dispose: async () => { await store.close(); rmSync(dir, { recursive: true, force: true }); } };
    },
  },
];

const T0 = '2026-03-01T10:00:00.000Z';
const T1 = '2026-03-01T11:00:00.000Z';

describe.each(ENGINES)('store automation: $name', (engine) => {
  let store: Store;
  let dispose: () => Promise<void>;
  beforeEach(async () => {
    ({ store, dispose } = await engine.open());
  });
  afterEach(() => dispose());

  describe('schedule runs', () => {
    it('a task never run reads null; the first claim stores its time, a second "never ran" claim loses', async () => {
      expect(await store.read((r) => r.getScheduleRun('t'))).toBeNull();
      expect(await store.write((tx) => tx.claimScheduleRun('t', null, T0))).toBe(true);
      expect(await store.write((tx) => tx.claimScheduleRun('t', null, T0))).toBe(false);
      expect(await store.read((r) => r.getScheduleRun('t'))).toBe(T0);
    });

    it('a claim wins only against the value it read', async () => {
      await store.write((tx) => tx.claimScheduleRun('t', null, T0));
      expect(await store.write((tx) => tx.claimScheduleRun('t', T1, T1))).toBe(false);
      expect(await store.write((tx) => tx.claimScheduleRun('t', T0, T1))).toBe(true);
      expect(await store.write((tx) => tx.claimScheduleRun('t', T0, T1))).toBe(false);
      expect(await store.read((r) => r.getScheduleRun('t'))).toBe(T1);
      expect(await store.read((r) => r.getScheduleRun('other'))).toBeNull();
    });
  });
});
