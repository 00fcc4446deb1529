import { describe, expect, it, vi } from 'vitest';
import { main } from './campaign-cli';
import { parseDeadlineOptions } from './deadline-options';

const now = Date.parse('2026-03-02T09:00:00Z');

describe('fixpoint campaign deadline options', () => {
  it('takes seconds from now or a zoned ISO time, a postpone limit and a countdown', () => {
    expect(parseDeadlineOptions({ deadline: '600', 'max-postpones': '3', countdown: '60' }, now)).toEqual({
      deadline: '2026-03-02T09:10:00.000Z',
      maxPostpones: 3,
      countdownSec: 60,
    });
    expect(parseDeadlineOptions({ deadline: '2026-03-02T11:00:00+01:00' }, now)).toEqual({ deadline: '2026-03-02T10:00:00.000Z' });
    expect(parseDeadlineOptions({}, now)).toEqual({});
  });

  it('says what is wrong with a bad value', () => {
    expect(parseDeadlineOptions({ deadline: 'tomorrow' }, now)).toMatch(/--deadline takes seconds/);
    expect(parseDeadlineOptions({ deadline: '2026-03-02T10:00:00' }, now)).toMatch(/--deadline takes seconds/);
    expect(parseDeadlineOptions({ deadline: '2026-03-01T10:00:00Z' }, now)).toMatch(/in the future/);
    expect(parseDeadlineOptions({ deadline: String(2 * 86400) }, now)).toMatch(/at most 86400/);
    expect(parseDeadlineOptions({ 'max-postpones': '-1' }, now)).toMatch(/--max-postpones/);
    expect(parseDeadlineOptions({ 'max-postpones': '101' }, now)).toMatch(/--max-postpones/);
    expect(parseDeadlineOptions({ countdown: '5' }, now)).toMatch(/--countdown takes whole seconds from 10 to 3600/);
  });

  it('makes the command exit 2 with the reason on a bad option, also next to --status', async () => {
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect(await main(['restart', '--countdown', '1'], {})).toBe(2);
      expect(await main(['--status', '0f0f0f0f-0000-4000-8000-000000000001', '--deadline', '60'], {})).toBe(2);
      expect(stderr.mock.calls.map((c) => String(c[0])).join('')).toMatch(/--countdown takes whole seconds[\s\S]*--status takes a request id and nothing else/);
    } finally {
      stderr.mockRestore();
    }
  });
});
