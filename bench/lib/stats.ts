/** Percentile by nearest rank over a copy of the samples. */
export function percentile(samples: readonly number[], p: number): number {
  if (!samples.length) return NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export const median = (samples: readonly number[]) => percentile(samples, 50);


/** A timed sample: when it was taken (ms on any clock) and its value. */
export interface TimedSample {
  at: number;
  value: number;
}

/**
 * Splits samples into consecutive intervals of `intervalMs` from `start` and takes the `p` percentile of each:
 * one entry per interval up to the last sample's, an empty interval giving NaN and a count of 0.
 */
export function percentilePerInterval(samples: readonly TimedSample[], start: number, intervalMs: number, p: number): { from: number; value: number; count: number }[] {
  const buckets: number[][] = [];
  for (const s of samples) {
    const i = Math.floor((s.at - start) / intervalMs);
    if (i < 0) continue;
    while (buckets.length <= i) buckets.push([]);
    buckets[i]!.push(s.value);
  }
  return buckets.map((b, i) => ({ from: start + i * intervalMs, value: percentile(b, p), count: b.length }));
}

/** (max − min) / median: 0.1 means the readings stay within 10 % of their median's size. */
export function relativeSpread(values: readonly number[]): number {
  if (!values.length) return NaN;
  return (Math.max(...values) - Math.min(...values)) / median(values);
}

/**
 * Drift of a series that should stay flat: the median of its last third over the median of its first third, minus 1
 * (0.1: 10 % higher at the end). Medians of thirds, so a garbage collector's sawtooth does not read as growth.
 */
export function thirdsDrift(values: readonly number[]): number {
  const third = Math.floor(values.length / 3);
  if (third < 1) return NaN;
  return median(values.slice(-third)) / median(values.slice(0, third)) - 1;
}
