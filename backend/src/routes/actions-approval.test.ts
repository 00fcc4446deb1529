import { createPublicKey, verify } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publisherSigningText, type Platform } from '@fixpoint/protocol';
import { auditEntries, sampleAction } from '../testing/actions';
import { seedDevices, seedRole } from '../testing/fleet';
import { createTestBackend, type TestBackend } from '../testing/harness';
import { runDueSchedules } from '../services/schedules';
import { advanceRule, evaluateDevices } from '../services/detection';

const threshold = 3;
const automated = ['manual', 'extension', 'api', 'schedule', 'detection'] as const;

describe.each(['pglite', 'postgres'] as const)('four-eyes approval of action versions (%s)', (database) => {
  let t: TestBackend;
  let clock = new Date('2026-03-02T10:00:00Z');
  let author: Record<string, string>;
  let approver: Record<string, string>;
  let devices: string[];
  beforeAll(async () => {
    t = await createTestBackend({ database, now: () => clock, env: { FIXPOINT_REQUIRE_APPROVAL: 'true', FIXPOINT_ROLLOUT_THRESHOLD: String(threshold) } });
    await seedRole(t.ctx, 'approver', { permissions: ['actions:approve', 'actions:run', 'devices:read'], deviceScope: { all: true } });
    await seedRole(t.ctx, 'runner', { permissions: ['actions:run', 'devices:read', 'actions:run_unstaged'], runnableActions: ['*'], deviceScope: { all: true } });
    // the author may also approve, but never their own versions
    author = await t.as(['author', 'approver', 'runner'], 'author@test.local');
    approver = await t.as(['approver', 'runner'], 'reviewer@test.local');
    devices = await seedDevices(t.ctx, threshold + 2, { platform: 'linux' });
  });
  afterAll(() => t.close());

  const review = (version: number, verb: 'approve' | 'reject', headers: Record<string, string>, body?: unknown) =>
    t.call('POST', `/api/v1/actions/clear-dns-cache/versions/${version}/${verb}`, { headers, ...(body !== undefined && { body }) });
  const launch = (body: Record<string, unknown>, headers = author) =>
    t.call('POST', '/api/v1/executions', { headers, body: { action: 'clear-dns-cache', ...body } });

  it('keeps a new version unapproved until someone else approves it, then signs each platform script', async () => {
    const created = await t.call('POST', '/api/v1/actions', { headers: author, body: sampleAction({ triggers: [...automated] }) });
    expect(created.status).toBe(201);
    expect(created.body.current.approval).toEqual({ state: 'unapproved', by: null, at: null, reason: null, publisherSignatures: {} });

    const own = await review(1, 'approve', author);
    expect(own.status).toBe(403);
    expect(own.body.error.message).toContain('four-eyes');
    expect((await review(1, 'approve', await t.as('runner'))).status).toBe(403);

    const approved = await review(1, 'approve', approver);
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);
    expect(approved.body.approval).toMatchObject({ state: 'approved', by: 'user:reviewer@test.local', reason: null });
    expect(Object.keys(approved.body.approval.publisherSignatures).sort()).toEqual(['linux', 'windows']);
    expect((await review(1, 'approve', approver)).status).toBe(409);

    const key = await t.call('GET', '/api/v1/keys/publisher', { headers: author });
    expect(key.status).toBe(200);
    expect(key.body.publicKeyDer).not.toBe(t.ctx.signingKey.publicKeyDer);
    const publicKey = createPublicKey({ key: Buffer.from(key.body.publicKeyDer, 'base64'), format: 'der', type: 'spki' });
    for (const platform of ['linux', 'windows'] as Platform[]) {
      const text = publisherSigningText({ actionSlug: 'clear-dns-cache', actionVersion: 1, platform, scriptSha256: approved.body.scriptHashes[platform] });
      expect(verify(null, Buffer.from(text), publicKey, Buffer.from(approved.body.approval.publisherSignatures[platform], 'base64'))).toBe(true);
    }
    const [entry] = await auditEntries(t, 'action.approve');
    expect(entry).toMatchObject({ actor: 'user:reviewer@test.local', target: 'action:clear-dns-cache', details: { version: 1, author: 'user:author@test.local' } });
  });

  it('makes every edit a new unapproved version, and records a rejection with its reason', async () => {
    const edited = await t.call('PUT', '/api/v1/actions/clear-dns-cache', {
      headers: author,
      body: sampleAction({ triggers: [...automated], description: 'Flushes the resolver cache, again.' }),
    });
    expect(edited.status).toBe(200);
    expect(edited.body.current).toMatchObject({ version: 2, approval: { state: 'unapproved' } });
    expect((await review(2, 'reject', approver, {})).status).toBe(400);
    const rejected = await review(2, 'reject', approver, { reason: 'flushes too much' });
    expect(rejected.status).toBe(200);
    expect(rejected.body.approval).toMatchObject({ state: 'rejected', by: 'user:reviewer@test.local', reason: 'flushes too much', publisherSignatures: {} });
    expect((await review(2, 'approve', approver)).status).toBe(409);
    const [entry] = await auditEntries(t, 'action.reject');
    expect(entry).toMatchObject({ actor: 'user:reviewer@test.local', details: { version: 2, reason: 'flushes too much' } });
    const versions = await t.call('GET', '/api/v1/actions/clear-dns-cache/versions', { headers: author });
    expect(versions.body.items.map((v: { approval: { state: string } }) => v.approval.state)).toEqual(['rejected', 'approved']);
  });

  it('runs an unapproved version only by hand, on at most the threshold of devices, unstaged', async () => {
    await t.call('PUT', '/api/v1/actions/clear-dns-cache', {
      headers: author,
      body: sampleAction({ triggers: [...automated], description: 'Version three.' }),
    });
    const small = await launch({ devices: devices.slice(0, threshold) });
    expect(small.status, JSON.stringify(small.body)).toBe(202);

    const big = await launch({ devices, confirmDeviceCount: devices.length, rollout: null });
    expect(big.status).toBe(409);
    expect(big.body.error).toMatchObject({ code: 'approval_required' });
    expect(big.body.error.message).toMatch(/version 3 of clear-dns-cache is unapproved.*up to 3 devices/);
    const staged = await launch({ devices: devices.slice(0, 2), rollout: { waves: [50, 100] } });
    expect(staged.status).toBe(409);
    expect(staged.body.error.message).toContain('without a staged rollout');
    // an approved version pinned explicitly still runs everywhere, staged
    const pinned = await launch({ actionVersion: 1, devices, confirmDeviceCount: devices.length });
    expect(pinned.status, JSON.stringify(pinned.body)).toBe(202);
  });

  it('keeps unapproved versions out of schedules and detection rules, at save and when a schedule or a rule fires', async () => {
    const schedule = { name: 'Nightly flush', action: 'clear-dns-cache', target: 'devices | where platform == "linux"', intervalSec: 3600, rollout: null };
    const refused = await t.call('POST', '/api/v1/schedules', { headers: author, body: schedule });
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toMatch(/version 3 of clear-dns-cache is unapproved/);
    const rule = { name: 'Slow DNS', condition: 'name == "x"', action: 'clear-dns-cache', guards: { canaryPercent: 0 } };
    const ruleRefused = await t.call('POST', '/api/v1/detections', { headers: author, body: rule });
    expect(ruleRefused.status).toBe(409);
    expect(ruleRefused.body.error.code).toBe('approval_required');

    expect((await review(3, 'approve', approver)).status).toBe(200);
    const saved = await t.call('POST', '/api/v1/schedules', { headers: author, body: schedule });
    expect(saved.status, JSON.stringify(saved.body)).toBe(201);
    const slowRule = { ...rule, condition: 'tags contains "dns-slow"' };
    const savedRule = await t.call('POST', '/api/v1/detections', { headers: author, body: slowRule });
    expect(savedRule.status, JSON.stringify(savedRule.body)).toBe(201);
    const health = async () => (await t.call('GET', `/api/v1/detections/${savedRule.body.id}/health`, { headers: author })).body;
    expect((await health()).awaitingApproval).toBeNull();

    // an edit after the save: the schedule's next firing meets the unapproved version 4 and launches nothing
    await t.call('PUT', '/api/v1/actions/clear-dns-cache', { headers: author, body: sampleAction({ triggers: [...automated], description: 'Version four.' }) });
    clock = new Date(clock.getTime() + 2 * 3600_000);
    await runDueSchedules(t.ctx);
    const runs = await t.call('GET', `/api/v1/schedules/${saved.body.id}/runs`, { headers: author });
    expect(runs.body.items[0]).toMatchObject({ launched: 0 });
    expect(runs.body.items[0].error).toMatch(/version 4 of clear-dns-cache is unapproved/);

    // a device that starts matching the rule waits: no launch, no attempt used, nothing for the breaker
    const [slow] = await seedDevices(t.ctx, 1, { platform: 'linux', tags: ['dns-slow'] });
    await evaluateDevices(t.ctx, [slow!]);
    await advanceRule(t.ctx, savedRule.body.id);
    expect(await health()).toMatchObject({
      matches: 1, pending: 1, fired: 0, failed: 0, pausedByBreaker: false,
      awaitingApproval: 'version 4 of clear-dns-cache is unapproved: a detection can use it only once someone other than its author approves it',
    });
    // once approved, the waiting device fires with the approved version
    expect((await review(4, 'approve', approver)).status).toBe(200);
    await advanceRule(t.ctx, savedRule.body.id);
    expect(await health()).toMatchObject({ pending: 0, fired: 1, failed: 0, awaitingApproval: null });
    const fired = await t.call('GET', `/api/v1/executions?deviceId=${slow}`, { headers: author });
    expect(fired.body.items).toMatchObject([{ trigger: 'detection', actionVersion: 4 }]);
  });

  it('records one review when two reviewers answer at once', async () => {
    await t.call('PUT', '/api/v1/actions/clear-dns-cache', { headers: author, body: sampleAction({ triggers: [...automated], description: 'Version five.' }) });
    const second = await t.as(['approver', 'runner'], 'second@test.local');
    const answers = await Promise.all([review(5, 'approve', approver), review(5, 'reject', second, { reason: 'not now' })]);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409]);
    const version = await t.call('GET', '/api/v1/actions/clear-dns-cache/versions/5', { headers: author });
    const winner = answers.find((a) => a.status === 200)!.body;
    expect(version.body.approval).toEqual(winner.approval);
    const entries = [...(await auditEntries(t, 'action.approve')), ...(await auditEntries(t, 'action.reject'))].filter((e) => (e.details as { version: number }).version === 5);
    expect(entries).toHaveLength(1);
  });

  it('queues the versions awaiting review with their changes against the last approved one, for reviewers and their authors', async () => {
    const probe = (overrides: Parameters<typeof sampleAction>[0] = {}) =>
      sampleAction({ slug: 'queue-probe', name: 'Queue probe', runAs: 'system', triggers: [...automated], ...overrides });
    const queue = async (headers: Record<string, string>) => {
      const res = await t.call('GET', '/api/v1/actions/approvals', { headers });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return res.body.items.filter((i: { action: { slug: string } }) => i.action.slug === 'queue-probe');
    };
    expect((await t.call('POST', '/api/v1/actions', { headers: author, body: probe() })).status).toBe(201);
    const [fresh] = await queue(approver);
    expect(fresh).toMatchObject({ action: { slug: 'queue-probe', name: 'Queue probe' }, version: { version: 1 }, baseline: null, latest: true });
    expect(fresh.changes.scripts.map((s: { platform: string; change: string }) => [s.platform, s.change])).toEqual([['windows', 'added'], ['linux', 'added']]);
    expect(fresh.changes.parameters).toMatchObject([{ name: 'Reason', change: 'added', before: null }]);
    expect((await t.call('POST', '/api/v1/actions/queue-probe/versions/1/approve', { headers: approver })).status).toBe(200);
    expect(await queue(approver)).toEqual([]);

    const edited = await t.call('PUT', '/api/v1/actions/queue-probe', {
      headers: author,
      body: probe({
        runAs: 'user',
        scripts: { ...sampleAction().scripts, linux: { shell: 'sh', source: '#!/bin/sh\nresolvectl flush-caches --all\n' } },
        parameters: [
          { name: 'Reason', type: 'string', description: 'Why', required: true },
          { name: 'Scope', type: 'string', description: 'Which caches' },
        ],
        outputs: [{ name: 'entries', type: 'int' }],
      }),
    });
    expect(edited.status, JSON.stringify(edited.body)).toBe(200);
    const [item] = await queue(approver);
    expect(item).toMatchObject({
      version: { version: 2, createdBy: 'user:author@test.local', approval: { state: 'unapproved' } },
      baseline: { version: 1, approval: { state: 'approved', by: 'user:reviewer@test.local' } },
      latest: true,
    });
    expect(item.changes.settings).toEqual([{ field: 'runAs', before: 'system', after: 'user' }]);
    expect(item.changes.parameters).toMatchObject([
      { name: 'Reason', change: 'changed', before: { required: false }, after: { required: true } },
      { name: 'Scope', change: 'added', before: null },
    ]);
    expect(item.changes.outputs).toMatchObject([
      { name: 'entries', change: 'added', after: { type: 'int' } },
      { name: 'flushed', change: 'removed', after: null },
    ]);
    // only the Linux script changed: one line replaced, shown in a hunk with its context
    expect(item.changes.scripts).toHaveLength(1);
    expect(item.changes.scripts[0]).toMatchObject({ platform: 'linux', change: 'changed', shellBefore: 'sh', shellAfter: 'sh', added: 1, deleted: 1 });
    expect(item.changes.scripts[0].hunks[0].lines).toEqual([
      { kind: 'same', text: '#!/bin/sh', oldNo: 1, newNo: 1 },
      { kind: 'del', text: 'resolvectl flush-caches', oldNo: 2, newNo: null },
      { kind: 'add', text: 'resolvectl flush-caches --all', oldNo: null, newNo: 2 },
      { kind: 'same', text: '', oldNo: 3, newNo: 3 },
    ]);

    // its author sees it too; someone who neither reviews nor wrote it does not
    expect(await queue(author)).toHaveLength(1);
    expect(await queue(await t.as('author', 'writer@test.local'))).toEqual([]);
    expect(await queue(await t.as('runner'))).toEqual([]);
    expect((await t.call('GET', '/api/v1/actions/approvals', { headers: {} })).status).toBe(401);
    expect((await t.call('GET', '/api/v1/actions/approvals?limit=0', { headers: approver })).status).toBe(400);
  });

  it('counts an admin import as approved, and anyone else\'s as unapproved', async () => {
    const file = { kind: 'fixpoint/action', apiVersion: 1, ...sampleAction({ slug: 'imported-fix', name: 'Imported' }) };
    const admin = await t.as('admin');
    const byAdmin = await t.call('POST', '/api/v1/actions/import', { headers: admin, body: file });
    expect(byAdmin.status, JSON.stringify(byAdmin.body)).toBe(200);
    expect(byAdmin.body.action.current.approval).toMatchObject({ state: 'approved' });
    expect(Object.keys(byAdmin.body.action.current.approval.publisherSignatures).sort()).toEqual(['linux', 'windows']);
    const byAuthor = await t.call('POST', '/api/v1/actions/import', { headers: author, body: { ...file, description: 'changed' } });
    expect(byAuthor.body).toMatchObject({ outcome: 'updated', action: { current: { version: 2, approval: { state: 'unapproved' } } } });
  });
});
