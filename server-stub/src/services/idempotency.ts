// Idempotency records live for a retry window, then go: the table stays bounded by the window's traffic.
import type { Store } from '../storage/store.js';

/** How long a replayed event id is recognised (docs/SECURITY.md, docs/SERVER.md). */
export const IDEMPOTENCY_WINDOW_MS = 30 * 24 * 3600_000;
const BATCH = 5_000;

export type IdempotencyService = ReturnType<typeof createIdempotencyService>;

export function createIdempotencyService(store: Store) {
  return {
    /** Deletes every record older than the window (in short transactions of BATCH rows, so writers interleave); answers the count. */
    async prune(now = Date.now()): Promise<number> {
      const before = new Date(now - IDEMPOTENCY_WINDOW_MS).toISOString();
      let total = 0;
      for (let n = BATCH; n === BATCH; total += n) n = await store.write((tx) => tx.pruneEventResults(before, BATCH));
      return total;
    },
  };
}
