import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestBackend, type TestBackend } from '../testing/harness';
import { rawQuery, seedAdmin } from '../testing/identity';

describe('audit log routes', () => {
  let t: TestBackend;
  let admin: Record<string, string>;
  beforeAll(async () => {
    t = await createTestBackend();
    admin = await seedAdmin(t);
    for (const name of ['alpha', 'beta', 'gamma'])
      await t.call('POST', '/api/v1/roles', { headers: admin, body: { name, permissions: ['devices:read'] } });
  });
  afterAll(() => t.close());

  it('lists entries newest first, with paging and filters', async () => {
    const all = await t.call('GET', '/api/v1/audit', { headers: admin });
    expect(all.status).toBe(200);
    const seqs = all.body.items.map((e: any) => e.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => b - a));
    expect(all.body.items[0]).toMatchObject({ action: 'role.create', target: 'role:gamma', actor: 'user:admin@fixpoint.local' });
    const page = await t.call('GET', '/api/v1/audit?limit=2&offset=1&action=role.create', { headers: admin });
    expect(page.body).toMatchObject({ total: 3, next: null });
    expect(page.body.items.map((e: any) => e.target)).toEqual(['role:beta', 'role:alpha']);
    const prefix = await t.call('GET', '/api/v1/audit?action=auth.*', { headers: admin });
    expect(prefix.body.items.map((e: any) => e.action)).toEqual(['auth.login']);
    const byActor = await t.call('GET', '/api/v1/audit?actor=system', { headers: admin });
    expect(byActor.body.items.map((e: any) => e.action)).toEqual(['user.seed']);
    const byTarget = await t.call('GET', '/api/v1/audit?target=role:beta', { headers: admin });
    expect(byTarget.body.items.map((e: any) => e.action)).toEqual(['role.create']);
    const byType = await t.call('GET', '/api/v1/audit?targetType=role', { headers: admin });
    expect(byType.body.items.map((e: any) => e.target)).toEqual(['role:gamma', 'role:beta', 'role:alpha']);
    expect((await t.call('GET', '/api/v1/audit?targetType=user', { headers: admin })).body.items.every((e: any) => e.target.startsWith('user:'))).toBe(true);
    // A time range: the newest entry's time on its own, then everything before it.
    const newest = all.body.items[0];
    const at = encodeURIComponent(newest.at);
    const since = await t.call('GET', `/api/v1/audit?from=${at}`, { headers: admin });
    expect(since.body.items.map((e: any) => e.seq)).toContain(newest.seq);
    expect(since.body.items.every((e: any) => Date.parse(e.at) >= Date.parse(newest.at))).toBe(true);
    const before = await t.call('GET', `/api/v1/audit?to=${at}`, { headers: admin });
    expect(before.body.items.every((e: any) => Date.parse(e.at) < Date.parse(newest.at))).toBe(true);
    expect(before.body.total + since.body.total).toBe(all.body.total);
    const range = await t.call('GET', `/api/v1/audit?actor=user:admin@fixpoint.local&targetType=role&from=2000-01-01T00:00:00Z&to=2999-01-01T00:00:00Z`, { headers: admin });
    expect(range.body.total).toBe(3);
    // LIKE wildcards in the filter are taken literally.
    expect((await t.call('GET', '/api/v1/audit?action=%25', { headers: admin })).body.total).toBe(0);
    expect((await t.call('GET', "/api/v1/audit?action=x'%20or%201=1--", { headers: admin })).body.total).toBe(0);
  });

  it('verifies the chain and finds a tampered entry', async () => {
    const ok = await t.call('GET', '/api/v1/audit/verify', { headers: admin });
    expect(ok.body).toMatchObject({ ok: true, brokenAt: null, reason: null });
    expect(ok.body.checked).toBeGreaterThanOrEqual(5);
    const [row] = await rawQuery(t, "select seq from audit_log where target = 'role:beta'");
    await rawQuery(t, `update audit_log set details = '{"permissions":["admin"]}'::jsonb where seq = ${Number(row!.seq)}`);
    const broken = await t.call('GET', '/api/v1/audit/verify', { headers: admin });
    expect(broken.body).toMatchObject({ ok: false, brokenAt: Number(row!.seq) });
    expect(broken.body.reason).toContain('altered');
  });

  it('rejects bad queries and non-admins', async () => {
    for (const q of ['limit=0', 'limit=abc', 'limit=501', 'offset=-3', `action=${'a'.repeat(101)}`, 'actor=', 'targetType=Role%25', 'targetType=', 'from=yesterday', 'to=2024-01-01', 'target=']) {
      const res = await t.call('GET', `/api/v1/audit?${q}`, { headers: admin });
      expect(res.status, q).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
    }
    for (const role of ['support', 'author', 'viewer']) {
      const headers = await t.as(role);
      expect((await t.call('GET', '/api/v1/audit', { headers })).status).toBe(403);
      expect((await t.call('GET', '/api/v1/audit/verify', { headers })).status).toBe(403);
    }
    expect((await t.call('GET', '/api/v1/audit/verify')).status).toBe(401);
  });
});
