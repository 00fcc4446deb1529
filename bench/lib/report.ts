/** One measured figure: its value, the bare baseline measured in the same run, and the DESIGN.md target. */
export interface Figure {
  name: string;
  value: number;
  unit: string;
  /** The bare baseline, when the target is a ratio to one. */
  baseline?: number;
  /** value / baseline (or baseline / value for throughput, see `higherIsBetter`). */
  ratio?: number;
  target: string;
  /** Whether the target is met, when it can be judged. */
  ok?: boolean;
  note?: string;
}

const fmt = (n: number | undefined, digits = 1) =>
  n === undefined || Number.isNaN(n) ? '–' : Math.abs(n) >= 100 ? n.toFixed(0) : n.toFixed(digits);

export function printTable(figures: readonly Figure[]): string {
  const rows = figures.map((f) => [
    f.name,
    `${fmt(f.value)} ${f.unit}`,
    f.baseline === undefined ? '–' : `${fmt(f.baseline)} ${f.unit}`,
    f.ratio === undefined ? '–' : `${fmt(f.ratio, 2)}×`,
    f.target,
    f.ok === undefined ? '' : f.ok ? 'met' : 'MISSED',
  ]);
  const header = ['figure', 'value', 'bare baseline', 'ratio', 'target', ''];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}
