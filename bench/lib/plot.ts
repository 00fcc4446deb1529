/**
 * A line plot as hand-written SVG, for benchmarks that read values over time (the soak): one panel per series, stacked,
 * sharing the time axis. No dependency; the output is a standalone file a browser or GitHub renders.
 */

export interface PlotSeries {
  /** Panel title, e.g. "backend RSS". */
  title: string;
  unit: string;
  /** x in minutes from the start, y in `unit`; NaN values leave a gap. */
  points: readonly { x: number; y: number }[];
  /** A vertical marker, e.g. the end of the warm-up, in minutes. */
  markerX?: number;
}

export interface PlotOptions {
  title: string;
  /** A second, smaller line under the title. */
  subtitle?: string;
  width?: number;
  panelHeight?: number;
}

const escapeXml = (s: string) => s.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
const num = (n: number) => String(Number(n.toPrecision(6)));

/** Round upper bound for an axis: 1, 2 or 5 times a power of ten, at least `max`. */
export function niceCeiling(max: number): number {
  if (!(max > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(max));
  return ([1, 2, 5, 10].find((m) => m * power >= max) ?? 10) * power;
}

/** An axis from 0 with about `ticks` round steps: the step (1, 2 or 5 times a power of ten) and the top, a multiple of it at least `max`. */
export function niceAxis(max: number, ticks: number): { step: number; top: number } {
  const step = niceCeiling((max > 0 ? max : 1) / ticks);
  return { step, top: step * Math.max(1, Math.ceil(max / step - 1e-9)) };
}

/** Path data of the points, broken where y is not a number. */
function pathData(points: PlotSeries['points'], sx: (x: number) => number, sy: (y: number) => number): string {
  let d = '';
  let pen = false;
  for (const p of points) {
    if (!Number.isFinite(p.y)) {
      pen = false;
      continue;
    }
    d += `${pen ? 'L' : 'M'}${sx(p.x).toFixed(1)},${sy(p.y).toFixed(1)}`;
    pen = true;
  }
  return d;
}

/**
 * @example plotSvg([{ title: 'backend RSS', unit: 'MiB', points: [{ x: 0, y: 120 }, { x: 1, y: 124 }] }], { title: 'Soak' })
 */
export function plotSvg(series: readonly PlotSeries[], options: PlotOptions): string {
  const width = options.width ?? 720;
  const panelHeight = options.panelHeight ?? 200;
  const left = 64;
  const right = 16;
  const top = options.subtitle ? 52 : 36;
  const gap = 48;
  const height = top + series.length * (panelHeight + gap);
  const xs = series.flatMap((s) => s.points.map((p) => p.x)).filter(Number.isFinite);
  const xAxis = niceAxis(Math.max(...xs, 0), 6);
  const xMax = xAxis.top;
  const sx = (x: number) => left + (x / xMax) * (width - left - right);
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    `<text x="${left}" y="20" font-size="14" font-weight="bold">${escapeXml(options.title)}</text>`,
  ];
  if (options.subtitle) parts.push(`<text x="${left}" y="36">${escapeXml(options.subtitle)}</text>`);
  series.forEach((s, i) => {
    const y0 = top + i * (panelHeight + gap) + 16;
    const ys = s.points.map((p) => p.y).filter(Number.isFinite);
    const yAxis = niceAxis(Math.max(...ys, 0), 4);
    const yMax = yAxis.top;
    const sy = (y: number) => y0 + panelHeight - (y / yMax) * panelHeight;
    parts.push(`<text x="${left}" y="${y0 - 6}" font-weight="bold">${escapeXml(`${s.title} (${s.unit})`)}</text>`);
    for (let k = 0; k * yAxis.step <= yMax + 1e-9; k++) {
      const v = k * yAxis.step;
      parts.push(
        `<line x1="${left}" x2="${width - right}" y1="${sy(v).toFixed(1)}" y2="${sy(v).toFixed(1)}" stroke="#ddd"/>`,
        `<text x="${left - 6}" y="${(sy(v) + 4).toFixed(1)}" text-anchor="end">${num(v)}</text>`,
      );
    }
    for (let k = 0; k * xAxis.step <= xMax + 1e-9; k++) {
      const v = k * xAxis.step;
      parts.push(`<text x="${sx(v).toFixed(1)}" y="${y0 + panelHeight + 14}" text-anchor="middle">${num(v)}</text>`);
    }
    parts.push(`<text x="${width - right}" y="${y0 + panelHeight + 28}" text-anchor="end">minutes</text>`);
    if (s.markerX !== undefined) {
      parts.push(`<line x1="${sx(s.markerX).toFixed(1)}" x2="${sx(s.markerX).toFixed(1)}" y1="${y0}" y2="${y0 + panelHeight}" stroke="#999" stroke-dasharray="4 3"/>`);
    }
    parts.push(`<path d="${pathData(s.points, sx, sy)}" fill="none" stroke="#1f5fbf" stroke-width="1.5"/>`);
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}
