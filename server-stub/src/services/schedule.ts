// A durable periodic schedule: named tasks whose last run time is stored, checked every minute, so a task due while
// the server was down runs at start and a restart never resets an interval. One run per due time across instances:
// a run is claimed in the store before it starts (UPDATE … WHERE last_run_at = <what we read>).
import type { Store } from '../storage/store.js';

export type ScheduledTask = () => Promise<void>;
export type Schedule = ReturnType<typeof createSchedule>;

type Entry = { name: string; intervalMs: number; task: ScheduledTask; running: boolean };

export function createSchedule(store: Store, opts: { now?: () => number; checkEveryMs?: number; log?: (line: string) => void } = {}) {
  const now = opts.now ?? Date.now;
  const log = opts.log ?? ((line: string) => console.error(line));
  const entries = new Map<string, Entry>();
  let timer: NodeJS.Timeout | null = null;
  let checking: Promise<void> | null = null;

  /** Claims and runs one task if due; a task that throws is logged and waits for its next interval (tasks are idempotent). */
  async function runIfDue(e: Entry): Promise<boolean> {
    if (e.running) return false;
    const last = await store.read((r) => r.getScheduleRun(e.name));
    const at = now();
    if (last !== null && at - Date.parse(last) < e.intervalMs) return false;
    const won = await store.write((tx) => tx.claimScheduleRun(e.name, last, new Date(at).toISOString()));
    if (!won) return false;
    e.running = true;
    try {
      await e.task();
    } catch (err) {
      log(`scheduled task ${e.name} failed (retried at its next interval): ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      e.running = false;
    }
    return true;
  }

  return {
    /** Registers a task run every `intervalMs` (measured from its stored last run). */
    every(name: string, intervalMs: number, task: ScheduledTask) {
      if (entries.has(name)) throw new Error(`schedule: task ${name} registered twice`);
      entries.set(name, { name, intervalMs, task, running: false });
    },
    /** One due check: runs every task whose interval has passed; answers the names that ran. */
    async check(): Promise<string[]> {
      const ran: string[] = [];
      for (const e of entries.values()) if (await runIfDue(e)) ran.push(e.name);
      return ran;
    },
    /** Checks now (tasks missed while down run at start), then every minute; the timer never holds the process open. */
    start() {
      if (timer) return;
      const tick = () => {
        checking ??= this.check()
          .then(() => undefined, (err: Error) => log(`schedule check failed (retried next minute): ${err.message}`))
          .finally(() => (checking = null));
      };
      timer = setInterval(tick, opts.checkEveryMs ?? 60_000);
      timer.unref();
      tick();
    },
    /** Stops the timer and waits for a check in progress. */
    async close() {
      if (timer) clearInterval(timer);
      timer = null;
      await checking;
    },
  };
}
