// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { cachedFor, platformBusy } from './dnd';
import { macosBusy } from './dnd-macos';
import { windowsBusy } from './dnd-windows';

describe('do not disturb', () => {
  it('asks each platform its own question', async () => {
    expect(platformBusy('win32')).toBe(windowsBusy);
    expect(platformBusy('darwin')).toBe(macosBusy);
    expect(platformBusy('linux')).not.toBe(windowsBusy);
    expect(await platformBusy('aix')()).toBe(false);
  });

  it('keeps an answer for its ttl, and shares one under way', async () => {
    let clock = 0;
    let calls = 0;
    let answer = true;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const busy = cachedFor(
      10_000,
      async () => {
        calls++;
        if (calls === 1) await gate;
        return answer;
      },
      () => clock,
    );
    const first = busy();
    const second = busy();
    clock = 60_000; // however long the first call takes, it is still the one under way
    expect(busy()).toBe(first);
    release();
    expect(await first).toBe(true);
    expect(await second).toBe(true);
    expect(calls).toBe(1);
    answer = false;
    clock += 9_999;
    expect(await busy()).toBe(true);
    expect(calls).toBe(1);
    clock += 1;
    expect(await busy()).toBe(false);
    expect(calls).toBe(2);
  });
});
