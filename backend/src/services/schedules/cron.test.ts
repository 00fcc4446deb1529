import { describe, expect, it } from 'vitest';
import { CronError, nextCronFire, parseCron } from './cron';

const next = (expr: string, after: string) => nextCronFire(parseCron(expr), new Date(after))?.toISOString() ?? null;

/** Successive fire times, to check a whole sequence at once. */
function fires(expr: string, after: string, n: number): string[] {
  const spec = parseCron(expr);
  const out: string[] = [];
  let t = new Date(after);
  for (let i = 0; i < n; i++) {
    t = nextCronFire(spec, t)!;
    out.push(t.toISOString().slice(0, 16));
  }
  return out;
}

describe('parseCron', () => {
  it('expands wildcards, lists, ranges and steps', () => {
    const spec = parseCron('*/15 9-11,14 1,15 */3 1-5/2');
    expect([...spec.minutes]).toEqual([0, 15, 30, 45]);
    expect([...spec.hours]).toEqual([9, 10, 11, 14]);
    expect([...spec.daysOfMonth]).toEqual([1, 15]);
    expect([...spec.months]).toEqual([1, 4, 7, 10]);
    expect([...spec.daysOfWeek]).toEqual([1, 3, 5]);
    expect(spec.domRestricted && spec.dowRestricted).toBe(true);
  });

  it('accepts month and day names in any case, in ranges and lists', () => {
    const spec = parseCron('0 0 * jan-MAR,Dec mon-fri');
    expect([...spec.months]).toEqual([1, 2, 3, 12]);
    expect([...spec.daysOfWeek]).toEqual([1, 2, 3, 4, 5]);
    expect([...parseCron('0 0 * * SUN,sat').daysOfWeek]).toEqual([0, 6]);
  });

  it('treats 7 as Sunday and N/STEP as N to the end', () => {
    expect([...parseCron('0 0 * * 7').daysOfWeek]).toEqual([0]);
    expect([...parseCron('5/20 * * * *').minutes]).toEqual([5, 25, 45]);
  });

  it('expands macros', () => {
    expect(next('@hourly', '2025-05-01T10:30:00Z')).toBe('2025-05-01T11:00:00.000Z');
    expect(next('@daily', '2025-05-01T10:30:00Z')).toBe('2025-05-02T00:00:00.000Z');
    expect(next('@weekly', '2025-05-01T10:30:00Z')).toBe('2025-05-04T00:00:00.000Z'); // a Sunday
    expect(next('@monthly', '2025-05-01T10:30:00Z')).toBe('2025-06-01T00:00:00.000Z');
    expect(next('@YEARLY', '2025-05-01T10:30:00Z')).toBe('2026-01-01T00:00:00.000Z');
  });

  it.each([
    ['', /expected 5 fields/],
    ['* * * *', /found 4/],
    ['* * * * * *', /found 6/],
    ['60 * * * *', /minute: 60 is out of range 0-59/],
    ['* 24 * * *', /hour: 24/],
    ['* * 0 * *', /day of month: 0 is out of range 1-31/],
    ['* * * 13 *', /month: 13/],
    ['* * * * 8', /day of week: 8/],
    ['*/0 * * * *', /step 0/],
    ['*/61 * * * *', /step 61/],
    ['5-1 * * * *', /runs backwards/],
    ['1-2-3 * * * *', /malformed range/],
    ['1,,2 * * * *', /empty list item/],
    ['*/2/3 * * * *', /more than one '\/'/],
    ['x * * * *', /expected a number/],
    ['* * * FOO *', /expected a number or a name \(JAN…DEC\)/],
    ['-1 * * * *', /expected a number/],
    ['1.5 * * * *', /expected a number/],
    ['@often', /unknown macro/],
    ["0 0 * * 1; drop table schedules", /found|expected/],
  ])('rejects %j', (expr, message) => {
    expect(() => parseCron(expr)).toThrow(CronError);
    expect(() => parseCron(expr)).toThrow(message);
  });

  it('rejects very long text', () => {
    expect(() => parseCron(`${'1,'.repeat(150)}2 * * * *`)).toThrow(/limited to 200/);
  });
});

describe('nextCronFire', () => {
  it('fires strictly after the given instant, at whole minutes', () => {
    expect(next('* * * * *', '2025-05-01T10:00:00Z')).toBe('2025-05-01T10:01:00.000Z');
    expect(next('* * * * *', '2025-05-01T10:00:59.999Z')).toBe('2025-05-01T10:01:00.000Z');
    expect(next('*/5 * * * *', '2025-05-01T10:02:00Z')).toBe('2025-05-01T10:05:00.000Z');
  });

  it('walks through hours, days, months and years', () => {
    expect(fires('30 23 * * *', '2025-12-30T23:45:00Z', 3)).toEqual(['2025-12-31T23:30', '2026-01-01T23:30', '2026-01-02T23:30']);
    expect(fires('0 0 31 * *', '2025-01-31T00:00:00Z', 3)).toEqual(['2025-03-31T00:00', '2025-05-31T00:00', '2025-07-31T00:00']);
    expect(fires('0 12 1 JAN,JUL *', '2025-02-01T00:00:00Z', 2)).toEqual(['2025-07-01T12:00', '2026-01-01T12:00']);
  });

  it('runs on weekdays only, business hours', () => {
    // 2025-05-02 is a Friday
    expect(fires('*/15 9-17 * * MON-FRI', '2025-05-02T17:40:00Z', 3)).toEqual(['2025-05-02T17:45', '2025-05-05T09:00', '2025-05-05T09:15']);
  });

  it('fires on either day field when both are restricted, on both when one is a wildcard step', () => {
    // the 13th or any Friday: 2025-06-06 is a Friday, 2025-06-13 both
    expect(fires('0 0 13 * 5', '2025-06-01T00:00:00Z', 3)).toEqual(['2025-06-06T00:00', '2025-06-13T00:00', '2025-06-20T00:00']);
    // day-of-month `*/2` starts with `*`: only odd days that are also Mondays
    expect(fires('0 0 */2 * 1', '2025-06-01T00:00:00Z', 2)).toEqual(['2025-06-09T00:00', '2025-06-23T00:00']);
  });

  it('finds leap days and reports expressions that never fire', () => {
    expect(next('0 0 29 2 *', '2025-03-01T00:00:00Z')).toBe('2028-02-29T00:00:00.000Z');
    expect(next('0 0 29 2 *', '2096-03-01T00:00:00Z')).toBe('2104-02-29T00:00:00.000Z');
    expect(next('0 0 30 2 *', '2025-01-01T00:00:00Z')).toBeNull();
    expect(next('0 0 31 4,6,9,11 *', '2025-01-01T00:00:00Z')).toBeNull();
  });

  it('crosses a month end from the last minute', () => {
    expect(next('0 0 * * *', '2025-02-28T23:59:00Z')).toBe('2025-03-01T00:00:00.000Z');
    expect(next('59 23 31 12 *', '2025-12-31T23:59:00Z')).toBe('2026-12-31T23:59:00.000Z');
  });
});
