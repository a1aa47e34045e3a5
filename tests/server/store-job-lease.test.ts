// The job lease (issue 14, services/jobs.ts + storage/job-lease-store.ts) on every engine: the store's conditional
// claim, and two job runners on one database — "instances" — never working the same job at once.
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createJobService, type JobService } from '../../server-stub/src/services/jobs.js';
import type { Store } from '../../server-stub/src/storage/store.js';
import { eachEngine } from './helpers/engines.js';

const AT = '2026-03-01T10:00:00.000Z';
const T0 = 1_800_000_000_000;

eachEngine('store: job leases', (engine) => {
  let store: Store;
  let dispose: () => Promise<void>;
  beforeEach(async () => ({ store, dispose } = await engine.open()));
  afterEach(() => dispose());

  const job = (id: string) => store.write(async (tx) => {
    await tx.createJob({ id, kind: 'k', clientId: `c-${id}`, paramsJson: '{}', actorJson: '{"kind":"system"}', createdAt: AT });
    await tx.addJobItems(id, ['a']);
  });
  const lease = (id: string, owner: string, now: number, until = now + 1000) => store.write((tx) => tx.leaseJob(id, owner, now, until));
  const claimable = (owner: string, now: number) => store.read((r) => r.claimableJobIds(owner, now));

  it('a claim holds against others until it runs out; the holder renews; a release or an end frees it', async () => {
    await job('job_1');
    expect(await claimable('B', T0)).toEqual(['job_1']);
    expect(await lease('job_1', 'A', T0)).toBe(true);
    expect(await lease('job_1', 'B', T0 + 999)).toBe(false);
    expect(await claimable('B', T0 + 999)).toEqual([]);
    expect(await claimable('A', T0 + 999)).toEqual(['job_1']);
    // the holder renews (even late, when nobody took it meanwhile)
    expect(await lease('job_1', 'A', T0 + 500, T0 + 2000)).toBe(true);
    expect(await lease('job_1', 'B', T0 + 1500)).toBe(false);
    // run out: another takes it, and the old holder's next renewal fails
    expect(await claimable('B', T0 + 2001)).toEqual(['job_1']);
    expect(await lease('job_1', 'B', T0 + 2001)).toBe(true);
    expect(await lease('job_1', 'A', T0 + 2002)).toBe(false);
    // a clean stop lets go of the holder's jobs only
    await job('job_2');
    expect(await lease('job_2', 'A', T0 + 2003)).toBe(true);
    expect(await store.write((tx) => tx.releaseJobs('B'))).toBe(1);
    expect(await claimable('C', T0 + 2004)).toEqual(['job_1']);
    expect(await store.write((tx) => tx.releaseJobs())).toBe(1);
    expect(await claimable('C', T0 + 2004)).toEqual(['job_1', 'job_2']);
    // a job that ended cannot be claimed
    await store.write((tx) => tx.updateJob('job_1', { status: 'done', finishedAt: AT }));
    expect(await lease('job_1', 'C', T0 + 2005)).toBe(false);
    expect(await claimable('C', T0 + 2005)).toEqual(['job_2']);
  });

  it('import leases: recovery fails only the running imports no live instance holds (and, at start, the starter\'s own)', async () => {
    const status = async (id: string) => (await store.read((r) => r.getImport(id)))?.status;
    await store.write(async (tx) => {
      for (const id of ['im_live', 'im_dead', 'im_none', 'im_mine']) await tx.createImport({ id, match: 'email', dryRun: false, createdAt: AT });
      await tx.leaseImport('im_live', 'A', T0 + 1000);
      await tx.leaseImport('im_dead', 'B', T0 - 1);
      await tx.leaseImport('im_mine', 'C', T0 + 1000);
    });
    expect(await store.write((tx) => tx.failOrphanedImports(null, T0, '{"error":{"code":"interrupted"}}', AT))).toBe(2);
    expect([await status('im_live'), await status('im_dead'), await status('im_none'), await status('im_mine')]).toEqual(['running', 'failed', 'failed', 'running']);
    // C starting again: what it ran died with it; A's stays
    expect(await store.write((tx) => tx.failOrphanedImports('C', T0, '{}', AT))).toBe(1);
    expect([await status('im_live'), await status('im_mine')]).toEqual(['running', 'failed']);
    // A's heartbeat keeps it past its first expiry; dropped, it is an orphan
    expect(await store.write((tx) => tx.renewImportLeases('A', T0 + 5000))).toBe(1);
    expect(await store.write((tx) => tx.failOrphanedImports(null, T0 + 2000, '{}', AT))).toBe(0);
    await store.write((tx) => tx.dropImportLease('im_live'));
    expect(await store.write((tx) => tx.failOrphanedImports(null, T0 + 2000, '{}', AT))).toBe(1);
  });

  /** Two runners ("instances") on this store with a shared fake clock; each item creates a tag, which fails if done twice. */
  function pair() {
    let now = T0;
    const applied: string[] = [];
    const runner = (owner: string) => {
      const svc = createJobService({ store, owner, leaseMs: 1000, clock: () => now, batchItems: 4 });
      svc.register('tagger', {
        async item(tx, item) {
          await tx.createTag(`t-${item}`, AT);
          applied.push(`${owner}:${item}`);
        },
      });
      return svc;
    };
    return { A: runner('A'), B: runner('B'), applied, tick: (ms: number) => (now += ms) };
  }
  const items = Array.from({ length: 10 }, (_, i) => `i${i}`);
  const start = (svc: JobService) => store.write(async (tx) => (await svc.start(tx, { kind: 'tagger', clientId: 'lease-job', params: {}, actor: { kind: 'system' } }, (tx2, id) => tx2.addJobItems(id, items))).job.id);
  const tags = async () => (await store.read((r) => r.listTags())).map((t) => t.name).sort();

  it('a runner that does not hold the lease works nothing; once it ran out (its holder died) another finishes each item once', async () => {
    const { A, B, applied, tick } = pair();
    const id = await start(A);
    // A "dies" after committing its first batch: items 1-4 applied and counted, the lease still A's
    await store.write(async (tx) => {
      for (const it of items.slice(0, 4)) await tx.createTag(`t-${it}`, AT);
      await tx.updateJob(id, { done: 4 });
    });
    await B.resume();
    B.kick(id);
    await B.idle();
    expect(applied).toEqual([]);
    expect(await store.read((r) => r.getJob(id))).toMatchObject({ status: 'running', done: 4 });
    tick(1001);
    await B.resume();
    await B.idle();
    expect(await store.read((r) => r.getJob(id))).toMatchObject({ status: 'done', done: 10, total: 10, errorCount: 0, errors: [] });
    expect(applied).toEqual(items.slice(4).map((it) => `B:${it}`));
    expect(await tags()).toEqual(items.map((it) => `t-${it}`).sort());
    await Promise.all([A.stop(), B.stop()]);
  });

  it('both runners kicked at once: only the holder works it; a clean stop hands it over at once', async () => {
    const { A, B, applied } = pair();
    const id = await start(A);
    A.kick(id);
    B.kick(id);
    await Promise.all([A.idle(), B.idle()]);
    expect(applied).toEqual(items.map((it) => `A:${it}`));
    expect(await store.read((r) => r.getJob(id))).toMatchObject({ status: 'done', done: 10, errorCount: 0 });

    const second = await store.write(async (tx) => (await A.start(tx, { kind: 'tagger', clientId: 'lease-job-2', params: {}, actor: { kind: 'system' } }, (tx2, jid) => tx2.addJobItems(jid, ['x', 'y']))).job.id);
    await A.stop();
    // no clock moved: the release alone lets B take it
    await B.resume();
    await B.idle();
    expect(await store.read((r) => r.getJob(second))).toMatchObject({ status: 'done', done: 2 });
    expect(applied.slice(items.length)).toEqual(['B:x', 'B:y']);
    await B.stop();
  });
});
