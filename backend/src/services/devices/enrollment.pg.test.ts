import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devices } from '../../db/schema';
import { agentKeyPair } from '../../testing/fleet';
import { createTestBackend, type TestBackend } from '../../testing/harness';

// On PostgreSQL the enrollments really run in parallel on separate connections.
describe('one-time enrollment race (postgres)', () => {
  let t: TestBackend;
  beforeAll(async () => {
    t = await createTestBackend({ database: 'postgres' });
  });
  afterAll(() => t.close());

  it('lets exactly one of many concurrent enrollments spend a one-time token', async () => {
    const created = await t.call('POST', '/api/v1/enrollment-tokens', { headers: await t.as('admin'), body: { tags: ['site:paris'] } });
    const body = () => ({ token: created.body.token, publicKey: agentKeyPair().publicKey, name: 'pc', platform: 'linux', osVersion: '6', agentVersion: '0.1.0' });
    const results = await Promise.all(Array.from({ length: 8 }, () => t.call('POST', '/api/v1/enroll', { body: body() })));
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    expect(results.filter((r) => r.status === 403)).toHaveLength(7);
    expect(await t.ctx.db.select().from(devices).where(eq(devices.enrollmentTokenId, created.body.id))).toHaveLength(1);
  });
});
