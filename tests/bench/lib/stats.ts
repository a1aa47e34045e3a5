// Small order statistics: the bench reports medians and percentiles, never single runs.

/** The q-quantile (0..1) by nearest rank; NaN for an empty list. */
export function percentile(values: readonly number[], q: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil(q * sorted.length) - 1;
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank))];
}

/** The median (mean of the two middle values for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Rounds for display without turning tiny values into 0. */
export function round(value: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** Alternating runs of a page with and without something: the cost it adds, and the noise around it. */
export type PairedDifference = { baseline: number; measured: number; added: number; p25: number; p75: number };

/**
 * Median with minus median without, and the p25–p75 band of the per-pair differences
 * (run i of `measured` minus run i of `baseline`): "added" means something when the band clears 0.
 */
export function pairedDifference(baseline: readonly number[], measured: readonly number[]): PairedDifference {
  const n = Math.min(baseline.length, measured.length);
  const d = Array.from({ length: n }, (_, i) => measured[i] - baseline[i]);
  const b = median(baseline), m = median(measured);
  return { baseline: b, measured: m, added: m - b, p25: percentile(d, 0.25), p75: percentile(d, 0.75) };
}
