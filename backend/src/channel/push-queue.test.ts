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
});
