import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { attribute } from '../../bench/lib/live-trace';

let dir: string | undefined;
afterEach(() => dir && rmSync(dir, { recursive: true, force: true }));

/** A trace file from lines (the servers' CHATIVE_LIVE_TRACE format). */
function file(lines: object[]): string {
  dir = mkdtempSync(join(tmpdir(), 'live-trace-'));
  const f = join(dir, 't.jsonl');
  writeFileSync(f, lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
  return f;
}

const T = Date.parse('2026-01-01T00:00:00.000Z');

describe('attribute (where a reply\'s latency goes)', () => {
  it('splits each reply at its insert, commit and stream write, telling crossing from local and carried from read', () => {
    const f = file([
      // seq 1: written on pid 10, streamed on 20 from the doorbell's row (no read on 20)
      { t: T + 12, p: 10, s: 'commit', q: 1, c: '2026-01-01T00:00:00.008Z' },
      { t: T + 13, p: 10, s: 'commit', q: 1, c: '2026-01-01T00:00:00.008Z' }, // the agent topic's copy: the first counts
      { t: T + 15, p: 20, s: 'sent', q: 1 },
      // seq 2: written on 10, read by seq on 20 before its stream write
      { t: T + 30, p: 10, s: 'commit', q: 2, c: '2026-01-01T00:00:00.025Z' },
      { t: T + 33, p: 20, s: 'read', q: [2] },
      { t: T + 36, p: 20, s: 'sent', q: 2 },
      // seq 3: written and streamed on 10
      { t: T + 50, p: 10, s: 'commit', q: 3, c: '2026-01-01T00:00:00.040Z' },
      { t: T + 51, p: 10, s: 'sent', q: 3 },
    ]);
    const w = attribute(f, [{ seq: 1, t0: T, t1: T + 16 }, { seq: 2, t0: T + 20, t1: T + 38 }, { seq: 3, t0: T + 35, t1: T + 52 }, { seq: 9, t0: T, t1: T + 1 }])!;
    expect([w.cross, w.same]).toEqual([2, 1]);
    expect(w.post).toEqual({ n: 3, p50: 12, p99: 15 });
    expect(w.toInsert).toEqual({ n: 3, p50: 5, p99: 8 });
    expect(w.insertToCommit).toEqual({ n: 3, p50: 5, p99: 10 });
    expect(w.crossing).toEqual({ n: 2, p50: 3, p99: 6 });
    expect(w.local).toEqual({ n: 1, p50: 1, p99: 1 });
    expect(w.delivery).toEqual({ n: 3, p50: 1, p99: 2 });
    expect(w.carried).toBe(0.5);
  });

  it('answers null when the servers wrote no trace', () => {
    expect(attribute('/nonexistent/trace.jsonl', [{ seq: 1, t0: 0, t1: 1 }])).toBeNull();
    expect(attribute(file([{ t: 1, p: 1, s: 'pull', from: 0 }]), [{ seq: 1, t0: 0, t1: 1 }])).toBeNull();
  });
});
