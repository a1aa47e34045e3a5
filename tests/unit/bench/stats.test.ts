import { describe, expect, it } from 'vitest';
import { pairedDifference } from '../../bench/lib/stats';

describe('pairedDifference', () => {
  it('reports median with minus median without and the p25–p75 band of the per-pair differences', () => {
    const without = [100, 110, 90, 105];
    const withIt = [130, 150, 95, 125]; // pairwise +30, +40, +5, +20
    expect(pairedDifference(without, withIt)).toEqual({ baseline: 102.5, measured: 127.5, added: 25, p25: 5, p75: 30 });
  });

  it('pairs runs by index and ignores an unpaired extra run in the band', () => {
    const r = pairedDifference([10, 10, 10], [12, 14]);
    expect([r.p25, r.p75]).toEqual([2, 4]);
    expect(r.added).toBe(3);
  });

  it('answers NaN, not a number, when nothing was measured', () => {
    expect(Number.isNaN(pairedDifference([], []).added)).toBe(true);
  });
});
