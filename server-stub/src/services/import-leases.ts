// Which instance is running a CSV import (issue 14). An import runs in the memory of the instance that received the
// file, so no other can resume it; what others must not do is fail it while it runs (the start-up recovery used to
// fail every running import — another instance's too). The instance holds a lease per import it runs and renews them
// all on a heartbeat; recovery fails only the imports whose lease ran out (their instance died) — plus, at start,
// this owner's own (a restarted SQLite server: what it ran died with it).
import type { Store } from '../storage/store.js';

export type ImportLeases = ReturnType<typeof createImportLeases>;

export function createImportLeases(deps: { store: Store; owner: string; leaseMs: number; clock?: () => number; now?: () => string }) {
  const { store, owner, leaseMs } = deps;
  const clock = deps.clock ?? Date.now;
  const now = deps.now ?? (() => new Date().toISOString());
  const held = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  const quietly = (what: string) => (err: Error) => {
    // the store is gone for good (a shutdown, a test's app): nothing more to beat for
    if (err.message === 'store: closed') clearInterval(timer);
    else console.error(`imports: ${what} failed (tried again on the next beat)`, err.message);
  };
  /** One beat: renew this instance's leases, fail the imports of instances whose lease ran out. */
  function beat(resultJson: string) {
    void store.write(async (tx) => {
      if (held.size) await tx.renewImportLeases(owner, clock() + leaseMs);
      await tx.failOrphanedImports(null, clock(), resultJson, now());
    }).catch(quietly('renewing import leases'));
  }
  return {
    /** Inside the unit that creates import `id`: this instance runs it. */
    async hold(tx: Parameters<Parameters<Store['write']>[0]>[0], id: string) {
      held.add(id);
      await tx.leaseImport(id, owner, clock() + leaseMs);
    },
    /** The import ended (its final status is written): its lease goes. */
    async release(id: string) {
      held.delete(id);
      await store.write((tx) => tx.dropImportLease(id)).catch(quietly('dropping an import lease'));
    },
    /** At start: fails the imports nobody runs any more (this owner's earlier life included), then keeps beating every lease/3. */
    async recover(resultJson: string) {
      await store.write((tx) => tx.failOrphanedImports(owner, clock(), resultJson, now()));
      // one process per SQLite file: nobody else's imports to fail, and its own die only with it (failed at start)
      if (!timer && store.shared) {
        timer = setInterval(() => beat(resultJson), Math.max(50, Math.floor(leaseMs / 3)));
        timer.unref();
      }
    },
    stop: () => clearInterval(timer),
  };
}
