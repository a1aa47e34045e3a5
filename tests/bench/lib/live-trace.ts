// Where a reply's latency goes, from the servers' CHATIVE_LIVE_TRACE lines (server-stub/src/live/trace.ts) joined by
// seq with the bench client's own timestamps: POST → commit on the writer, commit → written to the stream on the
// instance that holds it (the crossing, when that is the other instance), written → arrived at the client.
import { existsSync, readFileSync } from 'node:fs';
import { percentile } from './stats';

/** One timed reply: its seq (the SSE id) and the client's epoch-ms timestamps at the POST and at the arrival. */
export type TimedReply = { seq: number; t0: number; t1: number };

type Line = { t: number; p: number; s: string; q?: number; c?: string };

export type Split = { n: number; p50: number; p99: number };
export type Attribution = {
  /** Replies whose writer and stream were different instances / the same instance. */
  cross: number;
  same: number;
  /** Client POST → commit on the writer (HTTP, proxy, the write unit and its queue). */
  post: Split;
  /** Of which: POST → the message's insert (its createdAt, ms resolution): proxy, HTTP, the instance's queue of write units, BEGIN. */
  toInsert: Split;
  /** Of which: insert → commit published (the seq lock, the conversation updates, change listeners, COMMIT's flush). */
  insertToCommit: Split;
  /** Commit → written to the stream, replies that crossed instances (doorbell, then the carried row or a read). */
  crossing: Split | null;
  /** Commit → written to the stream, replies served by their writer. */
  local: Split | null;
  /** Written by the server → arrived at the client (proxy, sockets, the client's event loop). */
  delivery: Split;
  /** Share of the crossing replies the receiver published from the doorbell's row, without a read. */
  carried: number | null;
};

const split = (v: number[]): Split => ({ n: v.length, p50: percentile(v, 0.5), p99: percentile(v, 0.99) });

/** Joins the trace file with the client's replies; null when the servers wrote no trace. */
export function attribute(file: string, replies: TimedReply[]): Attribution | null {
  if (!existsSync(file)) return null;
  const commit = new Map<number, Line>();
  const sent = new Map<number, Line>();
  const read = new Set<string>();
  for (const raw of readFileSync(file, 'utf8').split('\n')) {
    if (!raw) continue;
    const l = JSON.parse(raw) as Line & { q?: number | number[] };
    if (l.s === 'commit' && typeof l.q === 'number' && !commit.has(l.q)) commit.set(l.q, l);
    else if (l.s === 'sent' && typeof l.q === 'number' && !sent.has(l.q)) sent.set(l.q, l);
    else if (l.s === 'read' && Array.isArray(l.q)) for (const q of l.q) read.add(`${l.p}:${q}`);
  }
  const post: number[] = [], toInsert: number[] = [], insertToCommit: number[] = [], crossing: number[] = [], local: number[] = [], delivery: number[] = [];
  let carried = 0;
  for (const r of replies) {
    const c = commit.get(r.seq);
    const s = sent.get(r.seq);
    if (!c || !s) continue;
    post.push(c.t - r.t0);
    if (c.c) {
      toInsert.push(Date.parse(c.c) - r.t0);
      insertToCommit.push(c.t - Date.parse(c.c));
    }
    delivery.push(r.t1 - s.t);
    if (c.p === s.p) local.push(s.t - c.t);
    else {
      crossing.push(s.t - c.t);
      if (!read.has(`${s.p}:${r.seq}`)) carried++;
    }
  }
  if (!post.length) return null;
  return {
    cross: crossing.length,
    same: local.length,
    post: split(post),
    toInsert: split(toInsert),
    insertToCommit: split(insertToCommit),
    crossing: crossing.length ? split(crossing) : null,
    local: local.length ? split(local) : null,
    delivery: split(delivery),
    carried: crossing.length ? carried / crossing.length : null,
  };
}
