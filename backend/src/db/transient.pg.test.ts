/** A real deadlock on PostgreSQL: the transaction PostgreSQL aborts is tried again and both end. */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDevices } from '../testing/fleet';
import { createTestBackend, type TestBackend } from '../testing/harness';
import { isTransientDbError, retryTransient } from './transient';

describe('transient database failures (postgres)', () => {
  let t: TestBackend;
  let ids: string[];
  beforeAll(async () => {
    t = await createTestBackend({ database: 'postgres' });
    ids = await seedDevices(t.ctx, 2);
  });
  afterAll(() => t?.close());

  const lockBoth = (first: string, second: string) =>
    t.ctx.db.transaction(async (tx) => {
      await tx.execute(sql`select id from devices where id = ${first} for update`);
      await tx.execute(sql`select pg_sleep(0.3)`);
      await tx.execute(sql`select id from devices where id = ${second} for update`);
    });

  it('tries a deadlocked transaction again, and leaves other errors alone', async () => {
    const retried: unknown[] = [];
    const onRetry = (error: unknown) => retried.push(error);
    await Promise.all([
      retryTransient(() => lockBoth(ids[0]!, ids[1]!), { onRetry }),
      retryTransient(() => lockBoth(ids[1]!, ids[0]!), { onRetry }),
    ]);
    expect(retried.length).toBeGreaterThanOrEqual(1);
    expect(retried.every(isTransientDbError)).toBe(true);
    expect(String((retried[0] as { cause?: unknown }).cause ?? retried[0])).toContain('deadlock');

    let tries = 0;
    await expect(retryTransient(() => (tries++, t.ctx.db.execute(sql`select 1/0`)))).rejects.toThrow();
    expect(tries).toBe(1);
  });
});
