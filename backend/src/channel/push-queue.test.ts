import { describe, expect, it } from 'vitest';
import { PushQueue } from './push-queue';

describe('the push queue', () => {
  it('pushes what one turn queued in one round, and what a round queued in the next', async () => {
    const rounds: string[][] = [];
    let release!: () => void;
    const queue = new PushQueue(async (ids) => {
      rounds.push(ids);
      if (rounds.length === 1) await new Promise<void>((r) => (release = r));
    });
    queue.add(['a', 'b']);
    queue.add(['b', 'c']);
    await new Promise((r) => setImmediate(r));
    expect(rounds).toEqual([['a', 'b', 'c']]);
    queue.add(['d']);
    queue.add([]);
    await new Promise((r) => setTimeout(r, 10));
    expect(rounds).toHaveLength(1); // the first round is still running
    release();
    await queue.settled();
    await new Promise((r) => setImmediate(r));
    await queue.settled();
    expect(rounds).toEqual([['a', 'b', 'c'], ['d']]);
    queue.add([]);
    await new Promise((r) => setImmediate(r));
    expect(rounds).toHaveLength(2);
  });

  it('knows which devices wait for a round or are in the one in flight', async () => {
    let release!: () => void;
    const queue = new PushQueue(() => new Promise<void>((r) => (release = r)));
    expect(queue.has('a')).toBe(false);
    queue.add(['a']);
    expect(queue.has('a')).toBe(true);
    await new Promise((r) => setImmediate(r));
    queue.add(['b']);
    expect([queue.has('a'), queue.has('b'), queue.has('c')]).toEqual([true, true, false]);
    release();
    await queue.settled();
    expect(queue.has('a')).toBe(false);
    expect(queue.has('b')).toBe(true);
    await new Promise((r) => setImmediate(r));
    release();
    await queue.settled();
    expect(queue.has('b')).toBe(false);
  });
});
