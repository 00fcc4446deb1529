import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExecutionEvent } from '@fixpoint/protocol';
import { startCluster, type Cluster } from './cluster';
import type { Database } from './db';
import { createEventBus, relayExecutionEvents } from './events';
import { createLogger } from '@fixpoint/protocol/log';
import { createPostgresDb } from './testing/harness';

const log = createLogger('silent');
const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

describe('cluster fan-out on PostgreSQL', () => {
  let database: Database;
  let one: Cluster;
  let two: Cluster;
  beforeAll(async () => {
    database = await createPostgresDb();
    one = await startCluster(database, log);
    two = await startCluster(database, log);
  });
  afterAll(async () => {
    await one.stop();
    await two.stop();
    await database.close();
  });

  it("hands one instance's items to the others, not back to itself, however many there are", async () => {
    expect(one.shared).toBe(true);
    const atTwo: unknown[] = [];
    const atOne: unknown[] = [];
    two.subscribe('dispatch', (items) => atTwo.push(...items));
    one.subscribe('dispatch', (items) => atOne.push(...items));
    const ids = Array.from({ length: 3000 }, (_, i) => id(i));
    one.publish('dispatch', ids.slice(0, 1000));
    one.publish('dispatch', ids.slice(1000));
    await expect.poll(() => atTwo.length, { timeout: 5000 }).toBe(3000);
    expect(atTwo).toEqual(ids);
    await new Promise((r) => setTimeout(r, 100));
    expect(atOne).toEqual([]);
  });

  it('asks for a resync when the listening connection comes back after a loss, and keeps delivering', async () => {
    let resyncs = 0;
    two.onResync(() => resyncs++);
    const got: unknown[] = [];
    two.subscribe('dispatch', (items) => got.push(...items));
    // Cut every LISTEN connection of this database, as a failover or a network blip would.
    await database.db.execute(sql`select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and query ilike 'listen%' and pid <> pg_backend_pid()`);
    await expect.poll(() => resyncs, { timeout: 10_000 }).toBeGreaterThan(0);
    one.publish('dispatch', [id(9)]);
    await expect.poll(() => got, { timeout: 5000 }).toContain(id(9));
  });

  it('relays execution events: subscribers elsewhere see them, local-only subscribers (webhooks) do not', async () => {
    const busOne = createEventBus();
    const busTwo = createEventBus();
    const stops = [relayExecutionEvents(busOne, one), relayExecutionEvents(busTwo, two)];
    const seen: ExecutionEvent[] = [];
    const local: ExecutionEvent[] = [];
    busTwo.subscribe((e) => seen.push(e));
    busTwo.subscribe((e) => local.push(e), { localOnly: true });
    const event: ExecutionEvent = { type: 'execution', id: id(1), requestId: id(2), deviceId: id(3), status: 'canceled', at: new Date().toISOString() };
    busOne.publish(event);
    await expect.poll(() => seen, { timeout: 5000 }).toEqual([event]);
    expect(local).toEqual([]);
    // Junk on the channel (another program, a bad payload) is ignored.
    await database.notify('fixpoint_events', ['not json', '{"i":"x","d":[{"type":"execution","id":"nope"}]}', '{"i":"x"}']);
    busOne.publish({ ...event, status: 'expired' });
    await expect.poll(() => seen.length, { timeout: 5000 }).toBe(2);
    for (const stop of stops) stop();
  });
});
