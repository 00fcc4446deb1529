import { describe, expect, it } from 'vitest';
import { factKind, formatBytes, formatDateTime, formatDuration, formatValue, isRecordList } from './display';

describe('formatValue', () => {
  it('formats numbers by declared output type', () => {
    expect(formatValue(81608687616, 'size')).toBe('76 GB');
    expect(formatValue(17179869184, 'size')).toBe('16 GB');
    expect(formatValue(512, 'size')).toBe('512 B');
    expect(formatValue(0.3016, 'ratio')).toBe('30.2 %');
    expect(formatValue(1016, 'duration')).toBe('17 min');
    expect(formatValue(0.042, 'duration')).toBe('42 ms');
    expect(formatValue(94_500_000, 'bitrate')).toBe('94.5 Mbit/s');
    expect(formatValue(42.5, 'percent')).toBe('42.5 %');
    expect(formatValue(1.23456, 'float')).toBe('1.235');
    expect(formatValue(81608687616, 'int')).toBe('81608687616');
    expect(formatValue(1234, 'int')).toBe('1234');
  });

  it('formats the other values by what they are', () => {
    expect(formatValue(['a', 'b'], 'string-list')).toBe('a, b');
    expect(formatValue(false, 'bool')).toBe('no');
    expect(formatValue(true)).toBe('yes');
    expect(formatValue(null)).toBe('');
    expect(formatValue(undefined, 'size')).toBe('');
    expect(formatValue({ a: 1 })).toBe('{"a":1}');
    expect(formatValue('plain text', 'string')).toBe('plain text');
    expect(formatValue('not a date', 'datetime')).toBe('not a date');
    const iso = '2026-03-04T05:06:00.000Z';
    expect(formatValue(iso, 'datetime')).toBe(formatDateTime(iso));
    expect(formatValue(iso, 'datetime')).toMatch(/^2026-03-0\d \d\d:\d6$/);
  });
});

describe('formatDuration', () => {
  it('says durations in the largest unit, with the next one while the first is small', () => {
    expect(formatDuration(0)).toBe('0 s');
    expect(formatDuration(2.5)).toBe('2.5 s');
    expect(formatDuration(45)).toBe('45 s');
    expect(formatDuration(90)).toBe('1 min 30 s');
    expect(formatDuration(119.7)).toBe('2 min');
    expect(formatDuration(300)).toBe('5 min');
    expect(formatDuration(2653)).toBe('44 min');
    expect(formatDuration(3900)).toBe('1 h 5 min');
    expect(formatDuration(7200)).toBe('2 h');
    expect(formatDuration(86400)).toBe('1 day');
    expect(formatDuration(3 * 86400 + 4 * 3600)).toBe('3 days 4 h');
    expect(formatDuration(40 * 86400)).toBe('40 days');
  });
});

describe('factKind', () => {
  it('reads the kind of a fact from its name', () => {
    expect(factKind('memory.total_bytes')).toBe('size');
    expect(factKind('disk.free_pct')).toBe('percent');
    expect(factKind('uptime_sec')).toBe('duration');
    expect(factKind('last_seen')).toBe('datetime');
    expect(factKind('battery.percent')).toBe('percent');
    expect(factKind('hostname')).toBeUndefined();
    expect(factKind('cpu.cores')).toBeUndefined();
    expect(factKind('intervalSec')).toBe('duration');
    expect(factKind('expiresAt')).toBe('datetime');
    expect(factKind('totalBytes')).toBe('size');
    expect(factKind('format')).toBeUndefined();
    expect(formatBytes(1536)).toBe('1.5 KB');
  });

  it('tells lists of objects from lists of values', () => {
    expect(isRecordList([{ mount: '/' }, { mount: '/home' }])).toBe(true);
    expect(isRecordList(['a'])).toBe(false);
    expect(isRecordList([])).toBe(false);
  });
});
