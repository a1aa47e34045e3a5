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
    releaseJobs: async (owner) =>
      owner === undefined
        ? (await q("UPDATE jobs SET lease_owner = NULL, lease_until = NULL WHERE status = 'running' AND lease_owner IS NOT NULL")).count
        : (await q("UPDATE jobs SET lease_owner = NULL, lease_until = NULL WHERE status = 'running' AND lease_owner = ?", [owner])).count,
  };
}
