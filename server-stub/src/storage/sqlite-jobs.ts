// The SQLite statements behind job-lease-store.ts (pg-jobs.ts mirrors them). Spread into sqlite-store.ts's ops.
import type Database from 'better-sqlite3';
import type { JobLeaseReader, JobLeaseTx } from './job-lease-store.js';

type Sync<T> = { [K in keyof T]: T[K] extends (...a: infer A) => Promise<infer R> ? (...a: A) => R : never };

export const JOB_LEASE_READS = ['claimableJobIds'] as const satisfies readonly (keyof JobLeaseReader)[];

export function jobLeaseOps(st: (sql: string) => Database.Statement): Sync<JobLeaseReader & JobLeaseTx> {
  return {
    claimableJobIds: (owner, nowMs) =>
      (st("SELECT id FROM jobs WHERE status = 'running' AND (lease_owner IS NULL OR lease_owner = ? OR lease_until < ?) ORDER BY created_at, id").all(owner, nowMs) as { id: string }[]).map((r) => r.id),
    leaseJob: (id, owner, nowMs, untilMs) =>
      st("UPDATE jobs SET lease_owner = ?, lease_until = ? WHERE id = ? AND status = 'running' AND (lease_owner IS NULL OR lease_owner = ? OR lease_until < ?)")
        .run(owner, untilMs, id, owner, nowMs).changes === 1,
    leaseImport: (id, owner, untilMs) =>
      void st('INSERT INTO import_leases (import_id, owner, lease_until) VALUES (?, ?, ?) ON CONFLICT (import_id) DO UPDATE SET owner = excluded.owner, lease_until = excluded.lease_until').run(id, owner, untilMs),
    renewImportLeases: (owner, untilMs) => st('UPDATE import_leases SET lease_until = ? WHERE owner = ?').run(untilMs, owner).changes,
    dropImportLease: (id) => void st('DELETE FROM import_leases WHERE import_id = ?').run(id),
    failOrphanedImports: (owner, nowMs, resultJson, at) => {
      const n = st("UPDATE imports SET status = 'failed', result = ?, finished_at = ? WHERE status = 'running' AND NOT EXISTS (SELECT 1 FROM import_leases l WHERE l.import_id = imports.id AND l.lease_until >= ? AND l.owner IS NOT ?)").run(resultJson, at, nowMs, owner).changes;
      st("DELETE FROM import_leases WHERE import_id IN (SELECT id FROM imports WHERE status <> 'running')").run();
      return n;
    },
    releaseJobs: (owner) =>
      owner === undefined
        ? st("UPDATE jobs SET lease_owner = NULL, lease_until = NULL WHERE status = 'running' AND lease_owner IS NOT NULL").run().changes
        : st("UPDATE jobs SET lease_owner = NULL, lease_until = NULL WHERE status = 'running' AND lease_owner = ?").run(owner).changes,
  };
}
