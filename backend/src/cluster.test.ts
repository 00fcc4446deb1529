import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chunkPayloads, maxNotifyBytes, startCluster } from './cluster';
import type { Database } from './db';
import { createEventBus, relayExecutionEvents } from './events';
import { createLogger } from '@fixpoint/protocol/log';
import { createPgliteDb } from './testing/harness';

const log = createLogger('silent');

describe('notification payloads', () => {
  it('splits items into payloads under the limit, keeping order, and drops single items that can never fit', () => {
    const items = Array.from({ length: 1000 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
    const { payloads, dropped } = chunkPayloads('me', [...items, 'x'.repeat(9000)]);
    expect(dropped).toBe(1);
    expect(payloads.length).toBeGreaterThan(4);
    for (const p of payloads) expect(Buffer.byteLength(p)).toBeLessThanOrEqual(maxNotifyBytes);
    const back = payloads.flatMap((p) => JSON.parse(p) as { i: string; d: string[] }).flatMap((m) => (expect(m.i).toBe('me'), m.d));
    expect(back).toEqual(items);
    // Multi-byte text is measured in bytes, not characters.
    const wide = chunkPayloads('me', Array.from({ length: 100 }, () => 'é'.repeat(100)));
    for (const p of wide.payloads) expect(Buffer.byteLength(p)).toBeLessThanOrEqual(maxNotifyBytes);
    expect(chunkPayloads('me', []).payloads).toEqual([]);
  });
});

describe('listen/notify on the embedded database', () => {
  let database: Database;
  beforeAll(async () => {
    database = await createPgliteDb();
  });
  afterAll(() => database.close());

  it('delivers a batch of payloads in order to a listener, and stops after unlisten', async () => {
    const got: string[] = [];
    let listens = 0;
    const stop = await database.listen('fixpoint_test', (p) => got.push(p), () => listens++);
    expect(listens).toBe(1);
    await database.notify('fixpoint_test', ['one', 'two', "th'ree"]);
    await database.notify('fixpoint_test', []);
    await expect.poll(() => got).toEqual(['one', 'two', "th'ree"]);
    await stop();
    await database.notify('fixpoint_test', ['four']);
    await new Promise((r) => setTimeout(r, 50));
    expect(got).toHaveLength(3);
  });

  it('is a private database: the cluster sends nothing and the relay is a no-op', async () => {
    const cluster = await startCluster(database, log);
    expect(cluster.shared).toBe(false);
    const bus = createEventBus();
    const stop = relayExecutionEvents(bus, cluster);
    cluster.publish('dispatch', ['x']);
    stop();
    await cluster.stop();
  });
});
