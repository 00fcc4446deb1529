import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestBackend, type TestBackend } from '../testing/harness';
import { seedDevices, seedRole } from '../testing/fleet';

const path = '/api/v1/query';

describe('POST /query', () => {
  let t: TestBackend;
  let eu: string[];
  let us: string[];
  const query = async (headers: Record<string, string>, body: unknown) => t.call('POST', path, { headers, body });

  beforeAll(async () => {
    t = await createTestBackend();
    eu = await seedDevices(t.ctx, 3, { tags: ['eu'], namePrefix: 'eu', platform: 'windows' });
    us = await seedDevices(t.ctx, 4, { tags: ['us'], namePrefix: 'us', platform: 'linux' });
    await seedRole(t.ctx, 'helpdesk-eu', { permissions: ['devices:read', 'actions:run'], deviceScope: { tags: ['eu'] } });
  });
  afterAll(() => t.close());

  it('answers a devices query with columns and rows', async () => {
    const res = await query(await t.as('viewer'), { query: 'devices | where platform == "linux" | list name, platform | sort name desc' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.columns).toEqual([{ name: 'name', type: 'string' }, { name: 'platform', type: 'string' }]);
    expect(res.body.rows).toEqual(['us-00003', 'us-00002', 'us-00001', 'us-00000'].map((n) => [n, 'linux']));
    expect(res.body.truncated).toBe(false);
    expect(typeof res.body.elapsedMs).toBe('number');
  });

  it('shows a support role with a tag scope only its devices', async () => {
    const headers = await t.as('helpdesk-eu');
    const all = await query(headers, { query: 'devices | list id' });
    expect(all.status).toBe(200);
    expect(all.body.rows.map((r: string[]) => r[0]).sort()).toEqual([...eu].sort());
    const counted = await query(headers, { query: 'devices | summarize count() by platform' });
    expect(counted.body.rows).toEqual([['windows', 3]]);
    // asking for an out-of-scope device by id finds nothing
    const other = await query(headers, { query: `devices | where id == "${us[0]}"` });
    expect(other.body.rows).toEqual([]);
  });

  it('enforces the row limit and says when more rows existed', async () => {
    const res = await query(await t.as('viewer'), { query: 'devices', limit: 2 });
    expect(res.body.rows).toHaveLength(2);
    expect(res.body.truncated).toBe(true);
    const own = await query(await t.as('viewer'), { query: 'devices | limit 3', limit: 5 });
    expect(own.body.rows).toHaveLength(3);
    expect(own.body.truncated).toBe(false);
  });

  it('passes positioned errors through as 400 with a QueryError', async () => {
    const res = await query(await t.as('viewer'), { query: 'devices | where name ==' });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('bad_request');
    expect(res.body.error.details).toMatchObject({ line: 1, column: 24, offset: 23, expected: expect.any(Array) });
    expect(res.body.error.message).toMatch(/^line 1, column 24: /);
    const field = await query(await t.as('viewer'), { query: 'devices | where nosuch.field.x.y.z == 1 | summarize sum(name)' });
    expect(field.status).toBe(400);
    expect(field.body.error.details.message).toMatch(/sum\(\) needs a number field/);
  });

  it('keeps SQL out of reach', async () => {
    for (const q of [`devices | where name == "x'; drop table devices; --"`, 'devices | where name == "a" or 1 == 1', "devices; drop table devices"]) {
      const res = await query(await t.as('viewer'), { query: q });
      expect(res.status).toBeLessThan(500);
    }
    const res = await query(await t.as('viewer'), { query: 'devices | summarize count()' });
    expect(res.body.rows).toEqual([[7]]);
  });

  it('rejects bad input', async () => {
    const headers = await t.as('viewer');
    for (const body of [{}, { query: '' }, { query: 5 }, { query: 'devices', limit: 0 }, { query: 'devices', limit: 10_001 }, { query: 'devices', extra: 1 }, { query: 'x'.repeat(10 * 1024 + 1) }]) {
      const res = await query(headers, body);
      expect(res.status, JSON.stringify(body).slice(0, 80)).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
    }
    const broken = await t.app.request(path, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: '{"query":' });
    expect(broken.status).toBe(400);
  });

  it('needs devices:read', async () => {
    expect((await t.call('POST', path, { body: { query: 'devices' } })).status).toBe(401);
    await seedRole(t.ctx, 'runner-only', { permissions: ['actions:run'], deviceScope: { all: true } });
    const res = await query(await t.as('runner-only'), { query: 'devices' });
    expect(res.status).toBe(403);
  });
});
