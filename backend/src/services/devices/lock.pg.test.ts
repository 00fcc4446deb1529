/**
 * Statements that change many devices at once, run side by side on PostgreSQL: none may deadlock (`lock.ts`). Without
 * the ordered locks, a facts report (rows reached in its list's order) and a `last_seen` refresh or a disconnect (rows
 * reached in heap order) over the same devices deadlock within a few rounds.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDevices } from '../../testing/fleet';
import { createTestBackend, type TestBackend } from '../../testing/harness';
import { storeFacts } from './facts';
import { heartbeatInstance, recordPresence } from './presence';

describe('many-device updates side by side (postgres)', () => {
  let t: TestBackend;
  let ids: string[];
  beforeAll(async () => {
    t = await createTestBackend({ database: 'postgres' });
    ids = await seedDevices(t.ctx, 2000);
    await heartbeatInstance(t.ctx, 'a', new Date());
    await recordPresence(t.ctx, 'a', { up: ids.map((deviceId) => ({ deviceId, agentVersion: '2.0.0' })), down: [], seen: [] });
  });
  afterAll(() => t?.close());

  it('never deadlocks: facts, last_seen refreshes and disconnects over the same devices', async () => {
    const errors: string[] = [];
    const note = (p: Promise<unknown>) => p.catch((e: unknown) => void errors.push(String(e)));
    for (let round = 0; round < 12; round++) {
      const reversed = [...ids].reverse();
      await Promise.all([
        note(storeFacts(t.ctx, ids.map((deviceId) => ({ deviceId, facts: { os: { version: `10.${round}` } } })))),
        note(recordPresence(t.ctx, 'a', { up: [], down: [], seen: reversed })),
        note(storeFacts(t.ctx, reversed.map((deviceId) => ({ deviceId, facts: { os: { version: `11.${round}` } } })))),
        note(recordPresence(t.ctx, 'a', { up: [], down: ids.slice(0, 500), seen: [] })),
      ]);
      await recordPresence(t.ctx, 'a', { up: ids.slice(0, 500).map((deviceId) => ({ deviceId, agentVersion: '2.0.0' })), down: [], seen: [] });
    }
    expect(errors).toEqual([]);
  });
});
