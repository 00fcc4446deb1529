/** @module Numbers for bar charts: shares of a total and bar lengths. No protocol imports, so any screen can chart. */

export interface BarRow {
  key: string;
  label: string;
  count: number;
  /** Share of the total, 0–1 (0 when the total is 0). */
  share: number;
  /** Bar length relative to the longest bar, 0–1. */
  width: number;
}

/** Rows for a bar chart, in the order given; shares are of `total` (the sum of counts by default). */
export function barRows(entries: readonly { key: string; label: string; count: number }[], total?: number): BarRow[] {
  const sum = total ?? entries.reduce((n, e) => n + e.count, 0);
  const max = Math.max(0, ...entries.map((e) => e.count));
  return entries.map((e) => ({ ...e, share: sum ? e.count / sum : 0, width: max ? e.count / max : 0 }));
}

/** "42 %" with no decimals, "0 %" for nothing. */
export function formatShare(share: number): string {
  return `${Math.round(share * 100)} %`;
}

/** The NPS score's band for its colour and wording: −100…0 poor, 1…49 good, 50…100 excellent. */
export function npsBandOf(score: number): 'poor' | 'good' | 'excellent' {
  return score >= 50 ? 'excellent' : score > 0 ? 'good' : 'poor';
}
