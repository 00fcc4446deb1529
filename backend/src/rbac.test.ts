/**
 * The RBAC matrix: every declared route × every built-in role (and no credentials at all). A role without the
 * route's permission gets 403 and changes nothing; a role with it is never turned away as unauthenticated or
 * unauthorized by the route guard. Then every route gets hostile input and must answer with a 4xx, never a 500.
 */
import { randomUUID } from 'node:crypto';
import { count } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Permission } from '@fixpoint/protocol';
import { auditLog } from './db/schema';
import { allRoutes } from './routes';
import { builtInRoles } from './services/identity/seed';
import { automationOwnerSuite } from './testing/automation-owner-suite';
import { editImpliesRunSuite } from './testing/edit-implies-run-suite';
import { createTestBackend, type TestBackend } from './testing/harness';

// Version numbers are numbers, every other path parameter an id.
const pathFor = (path: string) => `/api/v1${path.replace(/:version\b/g, '1').replace(/:[A-Za-z]+/g, () => randomUUID())}`;
const allows = (role: (typeof builtInRoles)[number], auth: string) =>
  auth === 'authenticated' || auth === 'public' || role.permissions.includes('admin') || role.permissions.includes(auth as Permission);
const auditCount = async (t: TestBackend) => (await t.ctx.db.select({ n: count() }).from(auditLog))[0]!.n;
// Routes that stream forever when allowed; the guard is still checked for them.
const streaming = (r: (typeof allRoutes)[number]) => r.produces === 'text/event-stream';

let t: TestBackend;
beforeAll(async () => {
  t = await createTestBackend();
});
afterAll(() => t.close());

describe('RBAC matrix', () => {
  it('covers a non-trivial route table', () => {
    expect(allRoutes.length).toBeGreaterThan(0);
  });

  for (const r of allRoutes) {
    const label = `${r.method.toUpperCase()} ${r.path} (${r.auth})`;

    it(`${label}: anonymous`, async () => {
      const res = await t.call(r.method, pathFor(r.path), { body: r.body ? {} : undefined });
      if (r.auth === 'public') expect(res.status).not.toBe(401);
      else expect(res.status, JSON.stringify(res.body)).toBe(401);
      expect(res.status).toBeLessThan(500);
    });

    for (const role of builtInRoles) {
      it(`${label}: ${role.name}`, async () => {
        const headers = await t.as(role.name);
        const before = await auditCount(t);
        if (allows(role, r.auth) && streaming(r)) {
          const res = await t.app.request(pathFor(r.path), { headers, signal: AbortSignal.timeout(500) });
          expect(res.status).toBe(200);
          await res.body?.cancel();
          return;
        }
        const res = await t.call(r.method, pathFor(r.path), { headers, body: r.body ? {} : undefined });
        expect(res.status, JSON.stringify(res.body)).toBeLessThan(500);
        if (allows(role, r.auth)) {
          expect(res.status).not.toBe(401);
          if (res.status === 403) expect(res.body.error.message).not.toMatch(/needs the .* permission/);
        } else {
          expect(res.status, JSON.stringify(res.body)).toBe(403);
          expect(res.body.error.code).toBe('forbidden');
          expect(await auditCount(t)).toBe(before);
        }
      });
    }
  }
});

describe('hostile input on every route', () => {
  const withBody = allRoutes.filter((r) => r.body);
  for (const r of withBody) {
    it(`${r.method.toUpperCase()} ${r.path}`, async () => {
      const headers = await t.as('admin');
      const send = (body: string, type = 'application/json') =>
        t.app.request(pathFor(r.path), { method: r.method.toUpperCase(), headers: { ...headers, 'content-type': type }, body });
      const broken = await send('{"name": ');
      expect(broken.status).toBe(400);
      expect(((await broken.json()) as any).error.code).toBe('invalid_json');
      expect((await send('name=x', 'text/plain')).status).toBe(415);
      const huge = await send(JSON.stringify({ x: 'a'.repeat((r.bodyLimit ?? 1024 * 1024) + 10) }));
      expect(huge.status).toBe(413);
      for (const body of ['[]', '"x"', 'null', '{"__proto__":{"admin":true}}', `{"name":"x'); drop table users; --","id":1e309}`]) {
        const res = await send(body);
        expect(res.status, `${body} → ${res.status}`).toBeGreaterThanOrEqual(400);
        expect(res.status).toBeLessThan(500);
      }
    });
  }

  it('still has every table afterwards', async () => {
    expect(await auditCount(t)).toBeGreaterThan(0);
  });
});

automationOwnerSuite('pglite');
editImpliesRunSuite('pglite');
