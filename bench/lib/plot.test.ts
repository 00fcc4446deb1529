import { describe, expect, it } from 'vitest';
import { niceAxis, niceCeiling, plotSvg } from './plot';

describe('plotSvg', () => {
  const svg = plotSvg(
    [
      { title: 'backend RSS', unit: 'MiB', points: [{ x: 0, y: 100 }, { x: 30, y: 150 }, { x: 60, y: 200 }], markerX: 10 },
      { title: 'API p99 <per minute>', unit: 'ms', points: [{ x: 0, y: 10 }, { x: 30, y: NaN }, { x: 60, y: 20 }] },
    ],
    { title: 'Soak & co', width: 664, panelHeight: 100 },
  );

  it('draws one panel per series with escaped titles', () => {
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg" width="664" height="332"')).toBe(true);
    expect(svg).toContain('Soak &#38; co');
    expect(svg).toContain('API p99 &#60;per minute&#62; (ms)');
    expect(svg.match(/<path /g)).toHaveLength(2);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
  });

  it('scales points to the axes and breaks lines at missing values', () => {
    // x axis 0–60 minutes over 64…648; RSS axis 0–200 over the first panel (top 52, height 100)
    expect(svg).toContain('d="M64.0,102.0L356.0,77.0L648.0,52.0"');
    // the second panel: y axis 0–20, top 52 + 148; the NaN starts a new segment
    expect(svg).toContain('d="M64.0,250.0M648.0,200.0"');
    // the warm-up marker at 10 minutes
    expect(svg).toContain('x1="161.3"');
    // ticks every 10 minutes, every 50 MiB
    expect(svg).toContain('text-anchor="middle">50</text>');
    expect(svg).toContain('text-anchor="end">150</text>');
  });
});

describe('niceAxis', () => {
  it('ends on a multiple of a round step', () => {
    expect(niceAxis(60, 6)).toEqual({ step: 10, top: 60 });
    expect(niceAxis(61, 6)).toEqual({ step: 20, top: 80 });
    expect(niceAxis(3, 6)).toEqual({ step: 0.5, top: 3 });
    expect(niceAxis(270, 4)).toEqual({ step: 100, top: 300 });
    expect(niceAxis(0, 4)).toEqual({ step: 0.5, top: 0.5 });
  });
});

describe('niceCeiling', () => {
  it('rounds up to 1, 2 or 5 times a power of ten', () => {
    expect([0, 0.3, 1, 1.2, 3, 7, 60, 101, 480].map(niceCeiling)).toEqual([1, 0.5, 1, 2, 5, 10, 100, 200, 500]);
  });
});
