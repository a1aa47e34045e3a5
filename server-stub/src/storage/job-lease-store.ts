// The job runner's lease (issue 14, branch multi): which instance works a running job, and until when. Merged into
// store.ts's Reader and Tx by declaration merging there; sqlite-jobs.ts and pg-jobs.ts implement it.
// Times are epoch milliseconds of the claiming instance's clock: the lease only decides who works a job — the claim is
// re-checked in every batch's own unit, so even skewed clocks cannot make two instances apply the same item.

export interface JobLeaseReader {
  /** Running jobs `owner` may claim: held by nobody (never claimed, released), by `owner` itself, or by an instance whose lease ran out before `nowMs` (it died). */
  claimableJobIds(owner: string, nowMs: number): Promise<string[]>;
}

export interface JobLeaseTx {
  /**
   * Claims or renews running job `id` for `owner` until `untilMs`, with one conditional UPDATE: only when nobody holds
   * it, `owner` already does, or the holder's lease ended before `nowMs`. Answers whether `owner` holds it now.
   */
  leaseJob(id: string, owner: string, nowMs: number, untilMs: number): Promise<boolean>;
  /** Lets go of the running jobs `owner` holds (a clean stop), or of every running job when owner is undefined; answers how many. */
  releaseJobs(owner?: string): Promise<number>;
}
