// The PostgreSQL statements behind job-lease-store.ts, statement for statement as sqlite-jobs.ts. Spread into pg-ops.ts's ops.
// The claim is a conditional UPDATE inside the unit's SERIALIZABLE transaction: two instances claiming at once make
// one unit a serialization failure, and its re-run finds the row held.
import type { JobLeaseReader, JobLeaseTx } from './job-lease-store.js';
import type { Query } from './pg-ops.js';

export function pgJobLeaseOps(q: Query): JobLeaseReader & JobLeaseTx {
  return {
    claimableJobIds: async (owner, nowMs) =>
      (await q("SELECT id FROM jobs WHERE status = 'running' AND (lease_owner IS NULL OR lease_owner = ? OR lease_until < ?) ORDER BY created_at, id", [owner, nowMs])).map((r) => r.id),
    leaseJob: async (id, owner, nowMs, untilMs) =>
      (await q("UPDATE jobs SET lease_owner = ?, lease_until = ? WHERE id = ? AND status = 'running' AND (lease_owner IS NULL OR lease_owner = ? OR lease_until < ?)", [owner, untilMs, id, owner, nowMs])).count === 1,
    leaseImport: async (id, owner, untilMs) =>
      void (await q('INSERT INTO import_leases (import_id, owner, lease_until) VALUES (?, ?, ?) ON CONFLICT (import_id) DO UPDATE SET owner = excluded.owner, lease_until = excluded.lease_until', [id, owner, untilMs])),
    renewImportLeases: async (owner, untilMs) => (await q('UPDATE import_leases SET lease_until = ? WHERE owner = ?', [untilMs, owner])).count,
    dropImportLease: async (id) => void (await q('DELETE FROM import_leases WHERE import_id = ?', [id])),
    failOrphanedImports: async (owner, nowMs, resultJson, at) => {
      const n = (await q("UPDATE imports SET status = 'failed', result = ?, finished_at = ? WHERE status = 'running' AND NOT EXISTS (SELECT 1 FROM import_leases l WHERE l.import_id = imports.id AND l.lease_until >= ? AND l.owner IS DISTINCT FROM ?)", [resultJson, at, nowMs, owner])).count;
      await q("DELETE FROM import_leases WHERE import_id IN (SELECT id FROM imports WHERE status <> 'running')");
      return n;
    },
    releaseJobs: async (owner) =>
      owner === undefined
        ? (await q("UPDATE jobs SET lease_owner = NULL, lease_until = NULL WHERE status = 'running' AND lease_owner IS NOT NULL")).count
        : (await q("UPDATE jobs SET lease_owner = NULL, lease_until = NULL WHERE status = 'running' AND lease_owner = ?", [owner])).count,
  };
}
