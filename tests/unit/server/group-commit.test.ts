// Group commit with the fsync off the main thread: nothing is acknowledged or published before syncToDisk resolves.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';

// node:fs as is, except that each fdatasync records which file it hit: the fsync test below must see
// the call on the log, not just a resolved promise
const fsynced = vi.hoisted(() => [] as string[]);
vi.mock('node:fs', async (original) => {
  const real = await original<typeof import('node:fs')>();
  const fdatasync = ((fd: number, cb: (err: NodeJS.ErrnoException | null) => void) => {
    fsynced.push(real.readlinkSync(`/proc/self/fd/${fd}`));
    real.fdatasync(fd, cb);
  }) as typeof real.fdatasync;
  return { ...real, default: { ...real, fdatasync }, fdatasync };
});
import type { Outbox } from '../../../server-stub/src/services/changes.js';
import { createGroupCommit } from '../../../server-stub/src/services/group-commit.js';
import { createSqliteStore } from '../../../server-stub/src/storage/sqlite-store.js';
import type { Store, Tx } from '../../../server-stub/src/storage/store.js';

let dir: string;
let real: Store;
let syncs: { resolve: () => void; reject: (e: Error) => void }[];
let store: Store;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'chative-gc2-'));
  real = createSqliteStore(join(dir, 'db.sqlite'));
  syncs = [];
  // the real store, with a disk whose fsync the test finishes by hand
  store = Object.assign(Object.create(null), real, {
    syncToDisk: () => new Promise<void>((resolve, reject) => syncs.push({ resolve, reject })),
  }) as Store;
});
afterEach(async () => {
  await real.close();
  rmSync(dir, { recursive: true, force: true });
});

const tick = () => new Promise((r) => setImmediate(r));
const write = (id: string, published: string[]) => async (tx: Tx, out: Outbox) => {
  await tx.savepoint((sp) => sp.saveEventResult('s', id, '{}'));
  out.push(() => published.push(id));
  return id;
};
const stored = (id: string) => real.read((r) => r.getEventResult('s', id));

it('answers and publishes only after the fsync; requests arriving meanwhile share the next commit and fsync', async () => {
  const gc = createGroupCommit(store);
  const acked: string[] = [];
  const published: string[] = [];
  void gc.run([write('a', published)]).then(([v]) => acked.push(v));
  await tick();
  expect(syncs).toHaveLength(1); // committed, fsync in flight
  expect(await stored('a')).toBe('{}');
  void gc.run([write('b', published)]).then(([v]) => acked.push(v));
  void gc.run([write('c', published)]).then(([v]) => acked.push(v));
  await tick();
  await tick();
  expect(acked).toEqual([]);
  expect(published).toEqual([]);
  expect(await stored('b')).toBeUndefined(); // waits for the disk, then joins one commit
  syncs[0].resolve();
  await expect.poll(() => acked).toEqual(['a']);
  expect(published).toEqual(['a']);
  await expect.poll(() => syncs.length).toBe(2);
  expect(await stored('b')).toBe('{}');
  expect(await stored('c')).toBe('{}');
  expect(acked).toEqual(['a']);
  syncs[1].resolve();
  await expect.poll(() => acked).toEqual(['a', 'b', 'c']);
  expect(published).toEqual(['a', 'b', 'c']);
});

it('a failed fsync acknowledges nothing of that commit', async () => {
  const gc = createGroupCommit(store);
  const published: string[] = [];
  const p = gc.run([write('x', published)]);
  await tick();
  syncs[0].reject(new Error('EIO'));
  await expect(p).rejects.toThrow('EIO');
  expect(published).toEqual([]);
  // the next request still gets its own commit and fsync
  const q = gc.run([write('y', published)]);
  await expect.poll(() => syncs.length).toBe(2);
  syncs[1].resolve();
  await expect(q).resolves.toEqual(['y']);
});

it('the real syncToDisk fdatasyncs the write-ahead log file and resolves', async () => {
  fsynced.length = 0;
  const gc = createGroupCommit(real);
  await expect(gc.run([async (tx) => { await tx.saveEventResult('s', 'z', '{}'); return 1; }])).resolves.toEqual([1]);
  expect(fsynced.length).toBeGreaterThan(0);
  expect(fsynced.every((f) => f === join(dir, 'db.sqlite-wal'))).toBe(true);
  fsynced.length = 0;
  await expect(real.syncToDisk()).resolves.toBeUndefined();
  expect(fsynced).toEqual([join(dir, 'db.sqlite-wal')]);
});
