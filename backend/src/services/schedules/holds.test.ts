import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { holdSec, notBeforeFor, spreadOffsetSec } from './holds';
import { nextRunAt } from './timing';

describe('spread', () => {
  it('spreads 10,000 devices evenly over the window, each at a stable offset', () => {
    const schedule = randomUUID();
    const devices = Array.from({ length: 10_000 }, () => randomUUID());
    const spreadSec = 600;
    const perSecond = new Array<number>(spreadSec).fill(0);
    for (const d of devices) perSecond[spreadOffsetSec(schedule, d, spreadSec)]!++;
    // 10,000 over 600 s is 16.7 a second on average: no second is empty, none has more than about twice that
    expect(Math.min(...perSecond)).toBeGreaterThan(0);
    expect(Math.max(...perSecond)).toBeLessThanOrEqual(40);
    // without spread all 10,000 would start in the same second
    expect(spreadOffsetSec(schedule, devices[0]!, 0)).toBe(0);
    // stable per schedule and device, different across schedules
    expect(spreadOffsetSec(schedule, devices[1]!, spreadSec)).toBe(spreadOffsetSec(schedule, devices[1]!, spreadSec));
    const other = randomUUID();
    const moved = devices.slice(0, 100).filter((d) => spreadOffsetSec(other, d, spreadSec) !== spreadOffsetSec(schedule, d, spreadSec));
    expect(moved.length).toBeGreaterThan(90);
  });
});

describe('holds', () => {
  const due = new Date('2025-05-01T19:00:00Z');
  it('runs at once without spread or device time', () => {
    expect(notBeforeFor({ id: randomUUID(), timezone: 'utc', spreadSec: 0 }, due)).toBeUndefined();
    expect(holdSec({ id: randomUUID(), timezone: 'utc', spreadSec: 0 })).toBe(0);
  });

  it('holds UTC schedules until an instant, device-time ones until a wall-clock time', () => {
    const id = randomUUID();
    const device = randomUUID();
    const offset = spreadOffsetSec(id, device, 300);
    expect(notBeforeFor({ id, timezone: 'utc', spreadSec: 300 }, due)!(device)).toBe(new Date(due.getTime() + offset * 1000).toISOString());
    const wall = new Date(Date.parse('2025-05-02T09:00:00Z') + offset * 1000).toISOString().slice(0, 19);
    expect(notBeforeFor({ id, timezone: 'device', spreadSec: 300 }, due)!(device)).toBe(wall);
    expect(holdSec({ id, timezone: 'device', spreadSec: 300 })).toBe(26 * 3600 + 300);
  });

  it('fires device-time cron 14 hours ahead of the same UTC time, across days and months', () => {
    const timing = { cron: '0 9 * * *', intervalSec: null, timezone: 'device' as const };
    expect(nextRunAt(timing, new Date('2025-05-01T18:59:00Z'))!.toISOString()).toBe('2025-05-01T19:00:00.000Z');
    expect(nextRunAt(timing, new Date('2025-05-01T19:00:00Z'))!.toISOString()).toBe('2025-05-02T19:00:00.000Z');
    // 00:30 on the 1st of the month, on the earliest clocks: 10:30 UTC the day before
    expect(nextRunAt({ ...timing, cron: '30 0 1 * *' }, new Date('2025-05-15T00:00:00Z'))!.toISOString()).toBe('2025-05-31T10:30:00.000Z');
    expect(nextRunAt({ ...timing, timezone: 'utc' }, new Date('2025-05-01T10:00:00Z'))!.toISOString()).toBe('2025-05-02T09:00:00.000Z');
  });
});
