// Retention (CONTRACT §9): a daily task on the durable schedule erases guests with no message last seen more than
// `retention.guestDays` ago, in batches of short transactions; each run's count is stored for Settings to show.
import type { Store } from '../storage/store.js';
import { SYSTEM, Outbox } from './changes.js';
import type { EraseService } from './erase.js';
import type { Schedule } from './schedule.js';
import type { SettingsService } from './settings.js';

export const RETENTION_TASK = 'retention.guests';
export const RETENTION_EVERY_MS = 24 * 3600_000;
const BATCH = 100;

export type RetentionService = ReturnType<typeof createRetention>;

export function createRetention(deps: { store: Store; settings: SettingsService; erase: EraseService; schedule: Schedule; now?: () => number }) {
  const { store, settings, erase } = deps;
  const now = deps.now ?? Date.now;

  /** One pass; answers how many guests were erased (null when retention is off: nothing runs, nothing is stored). */
  async function run(): Promise<number | null> {
    const days = settings.get().retention.guestDays;
    if (days === null) return null;
    const at = now();
    const before = new Date(at - days * 24 * 3600_000).toISOString();
    let erased = 0;
    for (;;) {
      const ids = await store.read((r) => r.listStaleGuests(before, BATCH));
      if (!ids.length) break;
      let out = new Outbox(SYSTEM);
      await store.write(async (tx) => {
        out = new Outbox(SYSTEM);
        for (const id of ids) await erase.eraseContact(tx, id, out);
      });
      out.flush();
      erased += ids.length;
      if (ids.length < BATCH) break;
    }
    if (erased) await store.scrub();
    await store.write((tx) => tx.saveRetentionRun(new Date(at).toISOString(), erased));
    return erased;
  }

  deps.schedule.every(RETENTION_TASK, RETENTION_EVERY_MS, async () => void (await run()));
  return {
    run,
    /** What Settings shows: the setting and the last run. */
    async status() {
      return { guestDays: settings.get().retention.guestDays, lastRun: (await store.read((r) => r.lastRetentionRun())) ?? null };
    },
  };
}
