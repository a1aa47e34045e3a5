// Debug timestamps along the live path, to attribute reply latency (docs/BENCH.md): CHATIVE_LIVE_TRACE=<file> appends
// one JSON line per stage {t: epoch ms with µs, p: pid, s: stage, …}; unset (always in production) it costs one branch.
import { createWriteStream, type WriteStream } from 'node:fs';
import { performance } from 'node:perf_hooks';

const file = process.env.CHATIVE_LIVE_TRACE;
const out: WriteStream | null = file ? createWriteStream(file, { flags: 'a' }) : null;

/** True when tracing is on (skip building what only the trace reads). */
export const tracing = out !== null;

/** One stage of one message (or of a pull/doorbell when seq is omitted). */
export function trace(stage: string, fields: Record<string, unknown> = {}): void {
  if (out) out.write(`${JSON.stringify({ t: performance.timeOrigin + performance.now(), p: process.pid, s: stage, ...fields })}\n`);
}
