/**
 * @module The launch test suite, run on PGlite (launch.test.ts) and on PostgreSQL (launch.pg.test.ts).
 */
import { randomUUID } from 'node:crypto';
import { count, desc, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { decodeStoredSignature, envelopeRootText, LaunchRequest, type ExecutionEvent } from '@fixpoint/protocol';
import { rootOfPath } from '@fixpoint/protocol/merkle';
import { auditLog, executionRequests, executions } from '../db/schema';
import type { Principal } from '../services/identity/rights';
import { openDatabase } from '../db';
import { rowsOf } from '../db/rows';
import { appendAudit, registerAuditSigner } from '../services/audit';
import { fleetPrincipal } from './principals';
import { envelopesFor, launchExecutions } from '../services/executions';
import { sampleAction, seedAction, seedDevices, seedRole } from './fleet';
import { createTestBackend, postgresAdminUrl, type TestBackend } from './harness';

export function launchSuite(database: 'pglite' | 'postgres') {
  describe(`launching executions (${database})`, () => {
    let t: TestBackend;
    let admin: Record<string, string>;
    let win: string[];
    let linux: string[];
    let mac: string[];
    let lyon: string[];
    let notified: string[];
    let events: ExecutionEvent[];
    // a fixed instant near real time (the harness's access tokens expire an hour from the real now)
    const clock = new Date(Math.floor(Date.now() / 1000) * 1000);

    beforeAll(async () => {
      t = await createTestBackend({ database, now: () => clock });
      admin = await t.as('admin');
      await seedAction(t.ctx, sampleAction({ slug: 'old-one', name: 'v1' }), { versions: [sampleAction({ slug: 'old-one', name: 'v2', parameters: [] })] });
      await seedAction(t.ctx);
      await seedAction(t.ctx, sampleAction({ slug: 'api-only', triggers: ['api'] }));
      await seedAction(t.ctx, sampleAction({ slug: 'retired' }), { archived: true });
      win = await seedDevices(t.ctx, 3, { platform: 'windows', tags: ['site:paris'] });
      linux = await seedDevices(t.ctx, 1, { platform: 'linux', tags: ['site:paris'] });
      mac = await seedDevices(t.ctx, 1, { platform: 'macos', tags: ['site:paris'] });
      lyon = await seedDevices(t.ctx, 1, { platform: 'windows', tags: ['site:lyon'] });
      await seedRole(t.ctx, 'lyon-support', { deviceScope: { tags: ['site:lyon'] } });
      await seedRole(t.ctx, 'other-action', { runnableActions: ['something-else'], deviceScope: { all: true } });
      await seedRole(t.ctx, 'runs-nothing', { runnableActions: [], deviceScope: { all: true } });
      t.ctx.dispatcher = { notify: (ids) => notified.push(...ids), isOnline: () => false };
      t.ctx.events.subscribe((e) => events.push(e));
    });
    beforeEach(() => {
      notified = [];
      events = [];
    });
    afterAll(() => t.close());

    const launch = (body: unknown, headers: Record<string, string> = admin) => t.call('POST', '/api/v1/executions', { headers, body });
    const body = (devices: string[], extra: Record<string, unknown> = {}) => ({
      action: 'restart-spooler',
      devices,
      parameters: { Reason: 'ticket INC-1', Password: 's3cret-value' },
      ...extra,
    });
    const counts = async () => ({
      requests: (await t.ctx.db.select({ n: count() }).from(executionRequests))[0]!.n,
      executions: (await t.ctx.db.select({ n: count() }).from(executions))[0]!.n,
      audit: (await t.ctx.db.select({ n: count() }).from(auditLog))[0]!.n,
    });

    it('queues one execution per device, keeps secrets apart, audits, notifies and publishes', async () => {
      const triggerInfo = { externalSource: 'servicenow', externalReference: 'INC-1', externalDeviceName: 'LAPTOP-01' };
      const res = await launch(body([...win, ...linux], { triggerInfo }));
      expect(res.status).toBe(202);
      expect(res.body.executions).toHaveLength(4);
      expect(res.body.executions.every((e: any) => e.status === 'queued')).toBe(true);
      const rows = await t.ctx.db.select().from(executions).where(eq(executions.requestId, res.body.requestId));
      expect(rows).toHaveLength(4);
      for (const row of rows) {
        expect(row.parameters).toEqual({ Reason: 'ticket INC-1', Retries: 3 });
        expect(row.secretParameters).toEqual({ Password: 's3cret-value' });
        expect(row.trigger).toBe('manual');
        expect(row.expiresAt.getTime() - clock.getTime()).toBe(24 * 3600 * 1000);
        expect(row.issuedAt.toISOString()).toBe(clock.toISOString());
      }
      // Four envelopes, one signature: over the root of their tree, which each row's proof leads back to.
      const stored = rows.map((row) => decodeStoredSignature(row.signature));
      expect(new Set(stored.map((s) => s.signature)).size).toBe(1);
      expect(new Set(stored.map((s) => s.proof!.root)).size).toBe(1);
      expect(t.ctx.signingKey.verify(envelopeRootText(stored[0]!.proof!.root), stored[0]!.signature)).toBe(true);
      const envelopes = await envelopesFor(t.ctx, rows.map((r) => r.id));
      for (const row of rows) {
        const envelope = envelopes.get(row.id)!;
        expect(rootOfPath(envelope.payload, envelope.proof!)).toBe(envelope.proof!.root);
      }
      const [request] = await t.ctx.db.select().from(executionRequests).where(eq(executionRequests.id, res.body.requestId));
      expect(request).toMatchObject({ trigger: 'manual', triggerInfo });
      const [entry] = await t.ctx.db.select().from(auditLog).where(eq(auditLog.action, 'execution.launch'));
      // The audit keeps the name the ticket showed next to the devices chosen for it.
      expect(entry!.details).toMatchObject({ action: 'restart-spooler', version: 1, devices: 4, trigger: 'manual', secretParameters: ['Password'], triggerInfo });
      expect(JSON.stringify(await t.ctx.db.select().from(auditLog))).not.toContain('s3cret-value');
      expect(new Set(notified)).toEqual(new Set([...win, ...linux]));
      expect(events.map((e) => e.id).sort()).toEqual(res.body.executions.map((e: any) => e.id).sort());
      expect(events.every((e) => e.status === 'queued' && e.requestId === res.body.requestId)).toBe(true);

      const list = await t.call('GET', `/api/v1/executions?requestId=${res.body.requestId}`, { headers: admin });
      expect(list.body.total).toBe(4);
      expect(list.body.items[0].parameters).toEqual({ Reason: 'ticket INC-1', Retries: 3, Password: '***' });
      expect(JSON.stringify(list.body)).not.toContain('s3cret-value');
      const summary = await t.call('GET', `/api/v1/requests/${res.body.requestId}`, { headers: admin });
      expect(summary.body).toMatchObject({ actionSlug: 'restart-spooler', actionVersion: 1, total: 4, counts: { queued: 4, running: 0 } });
      expect((await t.call('GET', `/api/v1/requests/${res.body.requestId}`, { headers: await t.as('lyon-support') })).status).toBe(404);
      expect((await t.call('GET', `/api/v1/requests/${res.body.requestId}`)).status).toBe(401);
    });

    it('uses the version asked for, the expiry asked for, and api as a client default trigger', async () => {
      const v1 = await launch({ action: 'old-one', actionVersion: 1, devices: [win[0]], parameters: { Reason: 'x' }, expirySec: 600 });
      expect(v1.status).toBe(202);
      const [row] = await t.ctx.db.select().from(executions).where(eq(executions.requestId, v1.body.requestId));
      expect(row!.expiresAt.getTime() - clock.getTime()).toBe(600_000);
      const v2 = await launch({ action: 'old-one', devices: [win[0]], parameters: { Reason: 'x' } });
      expect(v2.status).toBe(400); // version 2 declares no parameters
      expect((await launch({ action: 'old-one', devices: [win[0]] })).status).toBe(202);
      expect((await launch({ action: 'old-one', actionVersion: 9, devices: [win[0]] })).status).toBe(404);
      const twice = await launch({ action: 'old-one', devices: [win[0], win[0]] });
      expect(twice.body.executions).toHaveLength(1);

      const client: Principal = {
        kind: 'client', id: randomUUID(), name: 'portal', email: null, label: 'client:portal', via: 'client_token', roles: [],
        permissions: new Set(['actions:run']), runnableActions: '*', scopes: [{ all: true, tags: [], platforms: [] }],
      };
      const { response } = await launchExecutions(t.ctx, { principal: client, request: LaunchRequest.parse(body([win[0]!])) });
      const [apiRow] = await t.ctx.db.select().from(executions).where(eq(executions.requestId, response.requestId));
      expect(apiRow!.trigger).toBe('api');
    });

    it('checks the trigger against the version', async () => {
      const denied = await launch(body([win[0]!], { action: 'api-only' }));
      expect(denied.status).toBe(403);
      expect(denied.body.error.message).toMatch(/manual trigger/);
      expect((await launch(body([win[0]!], { action: 'api-only', trigger: 'api' }))).status).toBe(202);
      expect((await launch(body([win[0]!], { trigger: 'schedule' }))).status).toBe(400);
    });

    it('lists every parameter problem', async () => {
      const res = await launch({ action: 'restart-spooler', devices: [win[0]], parameters: { Retries: 'many', Nope: 1 } });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
      const messages = res.body.error.details.map((d: any) => d.message);
      expect(messages).toEqual(expect.arrayContaining(['unknown parameter Nope', 'Reason is required', 'Retries must be an integer']));
    });

    it('writes nothing when a device is missing or out of scope', async () => {
      const before = await counts();
      const scoped = await launch(body([lyon[0]!, win[0]!]), await t.as('lyon-support'));
      expect(scoped.status).toBe(404);
      expect(scoped.body.error.message).toMatch(/^1 of 2 devices not found/);
      const missing = await launch(body([win[0]!, randomUUID(), randomUUID()]));
      expect(missing.status).toBe(404);
      expect(missing.body.error.message).toMatch(/^2 of 3 devices/);
      expect(await counts()).toEqual(before);
      expect(notified).toEqual([]);
      expect(events).toEqual([]);
      expect((await launch(body([lyon[0]!]), await t.as('lyon-support'))).status).toBe(202);
    });

    it('refuses archived and unknown actions, unscripted platforms, and callers who may not run it', async () => {
      const archived = await launch(body([win[0]!], { action: 'retired' }));
      expect(archived.status).toBe(409);
      expect(archived.body.error).toMatchObject({ code: 'conflict', message: expect.stringContaining('action retired is archived') });
      expect((await launch(body([win[0]!], { action: 'no-such-action' }))).status).toBe(404);
      const unscripted = await launch(body([win[0]!, mac[0]!]));
      expect(unscripted.status).toBe(400);
      expect(unscripted.body.error.message).toMatch(/no macos script/);
      expect((await launch(body([win[0]!]), await t.as('other-action'))).status).toBe(403);
      expect((await launch(body([win[0]!]), await t.as('runs-nothing'))).status).toBe(403);
      expect((await launch(body([win[0]!]), await t.as('viewer'))).status).toBe(403);
      expect((await launch(body([win[0]!]), {})).status).toBe(401);
    });

    it('rejects malformed launch requests', async () => {
      const bad = [
        { action: 'restart-spooler', devices: [] },
        { action: 'restart-spooler', devices: ['not-a-uuid'] },
        { action: 'restart-spooler', devices: Array.from({ length: 10_001 }, () => randomUUID()) },
        { ...body([win[0]!]), extra: 1 },
        { ...body([win[0]!]), expirySec: 5 },
        { ...body([win[0]!]), parameters: { Reason: { nested: true } } },
        { action: "x'; drop table executions; --", devices: [win[0]] },
      ];
      for (const b of bad) expect((await launch(b)).status, JSON.stringify(b).slice(0, 80)).toBeOneOf([400, 404]);
      const raw = await t.call('POST', '/api/v1/executions', { headers: { ...admin, 'content-type': 'application/json' }, body: '{"action":' });
      expect(raw.body.error.code).toBe('invalid_json');
    });

    it('launches arriving together each get their own answer, and the good ones are stored in order', async () => {
      const before = await counts();
      const lyonSupport = await t.as('lyon-support');
      const asks = [
        launch(body([win[0]!])),
        launch(body([win[0]!, randomUUID()])),
        launch(body([lyon[0]!]), lyonSupport),
        launch(body([win[1]!]), lyonSupport),
        launch({ action: 'old-one', actionVersion: 1, devices: [win[0]], parameters: { Reason: 'v1' } }),
        launch(body([win[0]!], { action: 'retired' })),
        launch(body([win[0]!], { parameters: { Reason: 'second' } })),
      ];
      // other audited writes at the same time, which take the audit lock on their own
      const tokens = Array.from({ length: 3 }, () => t.call('POST', '/api/v1/enrollment-tokens', { headers: admin, body: { oneTime: true } }));
      const results = await Promise.all(asks);
      expect((await Promise.all(tokens)).map((r) => r.status)).toEqual([201, 201, 201]);
      expect(results.map((r) => r.status)).toEqual([202, 404, 202, 404, 202, 409, 202]);
      const ok = results.filter((r) => r.status === 202);
      expect(await counts()).toEqual({ requests: before.requests + 4, executions: before.executions + 4, audit: before.audit + 4 + 3 });
      expect((await t.call('GET', '/api/v1/audit/verify', { headers: admin })).body).toMatchObject({ ok: true });
      // win[0]'s executions keep the order their launches were submitted in
      const order = await t.ctx.db.select({ requestId: executions.requestId, seq: executions.seq, parameters: executions.parameters })
        .from(executions).where(eq(executions.deviceId, win[0]!)).orderBy(executions.seq);
      const ids = [results[0]!, results[4]!, results[6]!].map((r) => r.body.requestId);
      expect(order.map((o) => o.requestId).filter((id) => ids.includes(id))).toEqual(ids);
      expect(order.find((o) => o.requestId === results[6]!.body.requestId)!.parameters).toEqual({ Reason: 'second', Retries: 3 });
      const [v1] = await t.ctx.db.select().from(executionRequests).where(eq(executionRequests.id, results[4]!.body.requestId));
      expect(v1!.actionVersionId).not.toBe((await t.ctx.db.select().from(executionRequests).where(eq(executionRequests.id, ids[0]!)))[0]!.actionVersionId);
      expect(new Set(notified)).toEqual(new Set([win[0]!, lyon[0]!]));
      expect(events).toHaveLength(ok.length);
    });

    describe('idempotency', () => {
      it('replays the stored response for a repeat and refuses a different body', async () => {
        const headers = { ...admin, 'idempotency-key': 'launch-42' };
        const first = await launch(body([win[0]!]), headers);
        expect(first.status).toBe(202);
        const again = await t.app.request('/api/v1/executions', { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(body([win[0]!])) });
        expect(again.status).toBe(202);
        expect(again.headers.get('idempotent-replayed')).toBe('true');
        expect(await again.json()).toEqual(first.body);
        const rows = await t.ctx.db.select().from(executionRequests).where(eq(executionRequests.idempotencyKey, 'launch-42'));
        expect(rows).toHaveLength(1);
        const different = await launch(body([win[1]!]), headers);
        expect(different.status).toBe(409);
        // the key belongs to the caller: another principal may use the same one
        expect((await launch(body([win[0]!]), { ...(await t.as('other-action', 'other@test.local')), 'idempotency-key': 'launch-42' })).status).toBe(403);
        const other = await launch(body([win[0]!]), { ...(await t.as('admin', 'admin2@test.local')), 'idempotency-key': 'launch-42' });
        expect(other.status).toBe(202);
        expect(other.body.requestId).not.toBe(first.body.requestId);
      });

      it('creates one request for concurrent duplicates', async () => {
        const headers = { ...admin, 'idempotency-key': `race-${database}` };
        const results = await Promise.all(Array.from({ length: 5 }, () => launch(body(win), headers)));
        expect(results.map((r) => r.status)).toEqual([202, 202, 202, 202, 202]);
        expect(new Set(results.map((r) => r.body.requestId)).size).toBe(1);
        const rows = await t.ctx.db.select().from(executionRequests).where(eq(executionRequests.idempotencyKey, `race-${database}`));
        expect(rows).toHaveLength(1);
        const runs = await t.ctx.db.select().from(executions).where(eq(executions.requestId, rows[0]!.id));
        expect(runs).toHaveLength(3);
      });

      it('validates the header', async () => {
        expect((await launch(body([win[0]!]), { ...admin, 'idempotency-key': 'has space' })).status).toBe(400);
        expect((await launch(body([win[0]!]), { ...admin, 'idempotency-key': 'x'.repeat(256) })).status).toBe(400);
      });
    });

    /** A second handle on the same PostgreSQL database, signing audit checkpoints with the same key: another instance. */
    const secondHandle = async () => {
      const [{ name }] = rowsOf(await t.ctx.db.execute(sql`select current_database() as name`)) as [{ name: string }];
      const url = new URL(postgresAdminUrl);
      url.pathname = `/${name}`;
      const other = await openDatabase({ url: url.toString(), migrate: false });
      registerAuditSigner(other.db, t.ctx.signingKey);
      return other;
    };

    // Each database handle has its own batcher and its own idea of the audit chain's head, like another backend process.
    if (database === 'postgres') it('keeps one audit chain and every launch when two instances launch at once', async () => {
      const other = await secondHandle();
      try {
        const b = { ...t.ctx, db: other.db };
        const before = await counts();
        const launcher = fleetPrincipal('test:two-instances');
        const asks = Array.from({ length: 24 }, (_, i) =>
          launchExecutions(i % 2 ? t.ctx : b, { principal: launcher, request: LaunchRequest.parse(body([win[i % 3]!], { parameters: { Reason: `run ${i}` } })) }),
        );
        const tokens = Array.from({ length: 4 }, () => t.call('POST', '/api/v1/enrollment-tokens', { headers: admin, body: { oneTime: true } }));
        const launched = await Promise.all(asks);
        expect((await Promise.all(tokens)).map((r) => r.status)).toEqual([201, 201, 201, 201]);
        expect(new Set(launched.map((l) => l.response.requestId)).size).toBe(24);
        expect(await counts()).toEqual({ requests: before.requests + 24, executions: before.executions + 24, audit: before.audit + 24 + 4 });
        expect((await t.call('GET', '/api/v1/audit/verify', { headers: admin })).body).toMatchObject({ ok: true });
      } finally {
        await other.close();
      }
    });

    // A batch reads the audit chain's head without the lock and stores itself in one statement; an append committed
    // in between takes the seq it chained after, and the batch must try again after the new head.
    if (database === 'postgres') it('chains a launch after an audit entry committed between its head read and its write', async () => {
      const other = await secondHandle();
      try {
        const before = await counts();
        let launched!: Promise<Awaited<ReturnType<typeof launchExecutions>>>;
        await other.db.transaction(async (tx) => {
          // holds the lock with an uncommitted entry: the launch reads the old head, then waits for the lock
          await appendAudit(tx, { actor: 'test', action: 'test.hold' });
          launched = launchExecutions(t.ctx, { principal: fleetPrincipal('test:stale-head'), request: LaunchRequest.parse(body([win[0]!])) });
          await new Promise((r) => setTimeout(r, 300));
        });
        const { response } = await launched;
        expect(await counts()).toEqual({ requests: before.requests + 1, executions: before.executions + 1, audit: before.audit + 2 });
        const [hold, launch] = await t.ctx.db.select().from(auditLog).orderBy(desc(auditLog.seq)).limit(2).then((rows) => rows.reverse());
        expect(hold).toMatchObject({ action: 'test.hold' });
        expect(launch).toMatchObject({ action: 'execution.launch', seq: hold!.seq + 1, prevHash: hold!.hash, details: { requestId: response.requestId } });
        expect((await t.call('GET', '/api/v1/audit/verify', { headers: admin })).body).toMatchObject({ ok: true });
      } finally {
        await other.close();
      }
    });

    it('launches on 10,000 devices in one request, in a sane time', async () => {
      const fleet = await seedDevices(t.ctx, 10_000, { platform: 'linux', namePrefix: 'fleet' });
      const started = performance.now();
      // a deliberate launch to every device at once: confirmed, unstaged (admin holds actions:run_unstaged)
      const res = await launch(body(fleet, { confirmDeviceCount: 10_000, rollout: null }));
      const elapsed = performance.now() - started;
      expect(res.status).toBe(202);
      expect(res.body.executions).toHaveLength(10_000);
      const [{ n }] = (await t.ctx.db.select({ n: count() }).from(executions).where(eq(executions.requestId, res.body.requestId))) as [{ n: number }];
      expect(n).toBe(10_000);
      expect(notified).toHaveLength(10_000);
      expect(events).toHaveLength(10_000);
      // generous: shared, noisy machines; the real target is measured by the benchmarks
      expect(elapsed).toBeLessThan(30_000);
      t.ctx.log.info('10k launch', { ms: Math.round(elapsed) });
    }, 120_000);
  });
}
