// The durable schedule: a stored last run time, due checks on an injected clock (no sleeps), restarts, one winner.
// Runs on SQLite and, in the server-pg project, on PostgreSQL (helpers/test-app.ts's openTestStore).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createSchedule } from '../../server-stub/src/services/schedule.js';
import type { Store } from '../../server-stub/src/storage/store.js';
import { openTestStore } from './helpers/test-app.js';

const HOUR = 3600_000;
let dir: string;
let store: Store;
let clock: number;
const now = () => clock;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'chative-schedule-'));
  store = await openTestStore(dir);
  clock = Date.parse('2026-03-01T10:00:00Z');
});
let onEnd: () => Promise<void> | undefined = () => undefined;
afterEach(async () => {
  await onEnd();
  onEnd = () => undefined;
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

it('runs a task at its first check, then only once its interval has passed since the stored run', async () => {
  const runs: number[] = [];
  const s = createSchedule(store, { now });
  s.every('inactive', HOUR, async () => void runs.push(clock));
  expect(await s.check()).toEqual(['inactive']);
  clock += HOUR - 1;
  expect(await s.check()).toEqual([]);
  clock += 1;
  expect(await s.check()).toEqual(['inactive']);
  expect(runs).toHaveLength(2);
  expect(await store.read((r) => r.getScheduleRun('inactive'))).toBe(new Date(clock).toISOString());
});

it('survives a restart: the interval counts from the stored run, and a task due while down runs at start', async () => {
  let runs = 0;
  const first = createSchedule(store, { now });
  first.every('t', HOUR, async () => void runs++);
  await first.check();
  await first.close();
  await store.close();

  store = await openTestStore(dir);
  clock += HOUR / 2;
  const again = createSchedule(store, { now });
  again.every('t', HOUR, async () => void runs++);
  expect(await again.check()).toEqual([]); // restarted half-way: not due, the interval was not reset to "never ran"
  clock += 5 * HOUR; // down for hours
  const third = createSchedule(store, { now, checkEveryMs: 3_600_000 });
  const ran = new Promise<void>((resolve) => third.every('t', HOUR, async () => { runs++; resolve(); }));
  third.start(); // the start's own check runs the missed task, without waiting a minute
  await ran;
  await third.close();
  expect(runs).toBe(2);
});

it('two instances due at the same moment: exactly one claims the run', async () => {
  const seen: string[] = [];
  // on PostgreSQL b is a second instance (its own pool); SQLite's one writer per file is the one store
  const other = process.env.CHATIVE_TEST_ENGINE === 'pg' ? await openTestStore(dir) : store;
  onEnd = () => (other === store ? undefined : other.close());
  const a = createSchedule(store, { now });
  const b = createSchedule(other, { now });
  a.every('t', HOUR, async () => void seen.push('a'));
  b.every('t', HOUR, async () => void seen.push('b'));
  // both read "never ran" before either claims: the conditional claim lets one through
  const both = await Promise.all([a.check(), b.check()]);
  expect(both.flat()).toHaveLength(1);
  expect(seen).toHaveLength(1);
  clock += HOUR;
  await Promise.all([a.check(), b.check()]);
  expect(seen).toHaveLength(2);
});

it('a failing task is logged and waits for its next interval; other tasks still run', async () => {
  const lines: string[] = [];
  let ok = 0;
  const s = createSchedule(store, { now, log: (l) => lines.push(l) });
  s.every('boom', HOUR, async () => { throw new Error('receiver down'); });
  s.every('fine', HOUR, async () => void ok++);
  expect(await s.check()).toEqual(['boom', 'fine']);
  expect(lines).toEqual(['scheduled task boom failed (retried at its next interval): receiver down']);
  expect(await s.check()).toEqual([]);
  expect(ok).toBe(1);
});

it('refuses a name registered twice', () => {
  const s = createSchedule(store, { now });
  s.every('t', HOUR, async () => undefined);
  expect(() => s.every('t', HOUR, async () => undefined)).toThrow(/registered twice/);
});
