import { describe, expect, it } from 'vitest';
import { percentile, percentilePerInterval, relativeSpread, thirdsDrift } from './stats';

describe('percentilePerInterval', () => {
  it('takes the percentile of each interval, with empty intervals as NaN', () => {
    const samples = [
      { at: 1000, value: 5 }, { at: 1500, value: 1 }, { at: 1999, value: 9 },
      // nothing in 2000–2999
      { at: 3000, value: 7 },
      { at: 500, value: 100 }, // before the start: left out
    ];
    const rows = percentilePerInterval(samples, 1000, 1000, 50);
    expect(rows.map((r) => [r.from, r.count])).toEqual([[1000, 3], [2000, 0], [3000, 1]]);
    expect(rows[0]!.value).toBe(5);
    expect(rows[1]!.value).toBeNaN();
    expect(rows[2]!.value).toBe(7);
  });

  it('agrees with percentile over one interval', () => {
    const values = Array.from({ length: 200 }, (_, i) => (i * 37) % 101);
    const [row] = percentilePerInterval(values.map((value, i) => ({ at: i, value })), 0, 1000, 99);
    expect(row!.value).toBe(percentile(values, 99));
  });
});

describe('relativeSpread', () => {
  it('is the range over the median', () => {
    expect(relativeSpread([100, 105, 110])).toBeCloseTo(0.1 / 1.05);
    expect(relativeSpread([3, 3, 3])).toBe(0);
    expect(relativeSpread([])).toBeNaN();
  });
});

describe('thirdsDrift', () => {
  it('compares the medians of the last and the first third', () => {
    // a sawtooth that does not grow reads as flat; one that rises by a tenth reads as 10 %
    expect(thirdsDrift([100, 150, 100, 150, 100, 150])).toBe(0);
    expect(thirdsDrift([100, 100, 105, 105, 110, 110])).toBeCloseTo(0.1);
    expect(thirdsDrift([1, 2])).toBeNaN();
  });
});
