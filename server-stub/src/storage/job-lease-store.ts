// The job runner's lease (issue 14, branch multi): which instance works a running job, and until when. Merged into
// store.ts's Reader and Tx by declaration merging there; sqlite-jobs.ts and pg-jobs.ts implement it.
// Times are epoch milliseconds of the claiming instance's clock: the lease only decides who works a job — the claim is
// re-checked in every batch's own unit, so even skewed clocks cannot make two instances apply the same item.

export interface JobLeaseReader {
  /** Running jobs `owner` may claim: held by nobody (never claimed, released), by `owner` itself, or by an instance whose lease ran out before `nowMs` (it died). */
  claimableJobIds(owner: string, nowMs: number): Promise<string[]>;
}

/** A running CSV import lives in its instance's memory (the file): its lease says that instance is still alive. */
export interface ImportLeaseTx {
  /** Holds (or renews) the lease of import `id` for `owner` until `untilMs`. */
  leaseImport(id: string, owner: string, untilMs: number): Promise<void>;
  /** Renews every import lease `owner` holds (its heartbeat); answers how many. */
  renewImportLeases(owner: string, untilMs: number): Promise<number>;
  dropImportLease(id: string): Promise<void>;
  /**
   * Fails the running imports no live instance works — no lease, or one that ran out before `nowMs` — and, with
   * `owner`, those `owner` held (this instance starting again: what it ran died with it). Answers how many.
   */
  failOrphanedImports(owner: string | null, nowMs: number, resultJson: string, at: string): Promise<number>;
}

export interface JobLeaseTx extends ImportLeaseTx {
  /**
   * Claims or renews running job `id` for `owner` until `untilMs`, with one conditional UPDATE: only when nobody holds
   * it, `owner` already does, or the holder's lease ended before `nowMs`. Answers whether `owner` holds it now.
   */
  leaseJob(id: string, owner: string, nowMs: number, untilMs: number): Promise<boolean>;
  /** Lets go of the running jobs `owner` holds (a clean stop), or of every running job when owner is undefined; answers how many. */
  releaseJobs(owner?: string): Promise<number>;
}
