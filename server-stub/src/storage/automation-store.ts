// The store methods of issue 12 part 2 (the durable schedule, webhooks, rules), merged into store.ts's Reader and
// Tx by declaration merging there, so the engines implement them beside the rest.

export interface AutomationReader {
  /** The stored last run time of a scheduled task (ISO), null when it never ran. */
  getScheduleRun(name: string): Promise<string | null>;
}

export interface AutomationTx {
  /**
   * Claims a scheduled task's run: sets its last run time to `now` only while it still is `prev` (null: never ran).
   * Answers whether this caller won; two instances racing for one run cannot both win.
   */
  claimScheduleRun(name: string, prev: string | null, now: string): Promise<boolean>;
}
