/**
 * Agent releases over the API: only releases the update key signed are declared, the binary must match what was
 * signed, downgrades need a rollback release, rollouts pause and resume, and every step is audited.
 */
import { createHash, createPrivateKey, generateKeyPairSync, sign } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { releaseSigningText } from '@fixpoint/protocol';
import { auditLog, devices } from '../../db/schema';
import { seedDevices } from '../../testing/fleet';
import { createTestBackend, type TestBackend } from '../../testing/harness';

const updateKeys = generateKeyPairSync('ed25519');
const otherKeys = generateKeyPairSync('ed25519');
const updatePublicKey = updateKeys.publicKey.export({ type: 'spki', format: 'der' }).toString('base64');

function release(binary: Buffer, fields: { version: string; rollback?: boolean }, key = updateKeys.privateKey) {
  const body = { version: fields.version, os: 'linux', arch: 'x64', size: binary.length, sha256: createHash('sha256').update(binary).digest('hex'), rollback: fields.rollback ?? false };
  return { ...body, signature: sign(null, Buffer.from(releaseSigningText(body)), createPrivateKey(key.export({ type: 'pkcs8', format: 'pem' }))).toString('base64') };
}

describe('agent releases and rollouts', () => {
  let t: TestBackend;
  let admin: Record<string, string>;
  const binary = Buffer.from('#!/bin/sh\necho 0.2.0\n');

  const upload = (id: string, body: Buffer, headers = admin, type = 'application/octet-stream') =>
    t.app.request(`/api/v1/agent-releases/${id}/binary`, { method: 'PUT', headers: { ...headers, 'content-type': type }, body });

  beforeAll(async () => {
    t = await createTestBackend({ env: { FIXPOINT_UPDATE_PUBLIC_KEY: updatePublicKey } });
    admin = await t.as('admin', 'admin@test.local');
  }, 120_000);
  afterAll(() => t.close());

  it('gives enrolling agents the update key to pin', async () => {
    const token = await t.call('POST', '/api/v1/enrollment-tokens', { headers: admin, body: { oneTime: true } });
    const { publicKey } = generateKeyPairSync('ed25519');
    const res = await t.call('POST', '/api/v1/enroll', {
      body: { token: token.body.token, publicKey: publicKey.export({ type: 'spki', format: 'der' }).toString('base64'), name: 'pin-me', platform: 'linux', osVersion: '1', agentVersion: '0.1.0' },
    });
    expect(res.status).toBe(201);
    expect(res.body.updatePublicKey).toBe(updatePublicKey);
    expect(res.body.updatePublicKey).not.toBe(res.body.serverPublicKey);
  });

  it('refuses a release the update key did not sign, or whose fields differ from what it signed', async () => {
    const bad = release(binary, { version: '0.2.0' }, otherKeys.privateKey);
    expect((await t.call('POST', '/api/v1/agent-releases', { headers: admin, body: bad })).status).toBe(400);
    const moved = { ...release(binary, { version: '0.2.0' }), version: '0.9.0' };
    expect((await t.call('POST', '/api/v1/agent-releases', { headers: admin, body: moved })).status).toBe(400);
    const flipped = { ...release(binary, { version: '0.2.0' }), rollback: true };
    expect((await t.call('POST', '/api/v1/agent-releases', { headers: admin, body: flipped })).status).toBe(400);
    expect((await t.call('POST', '/api/v1/agent-releases', { headers: admin, body: { ...bad, signature: 'nope' } })).body.error.code).toBe('validation_failed');
  });

  it('takes a signed release, then only the binary that matches it, and serves it', async () => {
    const created = await t.call('POST', '/api/v1/agent-releases', { headers: admin, body: release(binary, { version: '0.2.0' }) });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({ version: '0.2.0', uploaded: false, uploadedBy: 'user:admin@test.local' });
    const again = await t.call('POST', '/api/v1/agent-releases', { headers: admin, body: release(binary, { version: '0.2.0' }) });
    expect(again.status).toBe(409);

    expect((await upload(created.body.id, binary, admin, 'application/json')).status).toBe(415);
    const tampered = Buffer.from(binary);
    tampered[tampered.length - 2] = 0x31;
    const wrong = await upload(created.body.id, tampered);
    expect(wrong.status).toBe(400);
    expect(((await wrong.json()) as { error: { message: string } }).error.message).toMatch(/SHA-256/);
    expect((await upload(created.body.id, Buffer.concat([binary, Buffer.from('x')]))).status).toBe(400);
    expect((await t.app.request(`/api/v1/agent-releases/${created.body.id}/binary`)).status).toBe(404);

    const ok = await upload(created.body.id, binary);
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { uploaded: boolean }).uploaded).toBe(true);
    expect((await upload(created.body.id, binary)).status).toBe(409);
    const served = await t.app.request(`/api/v1/agent-releases/${created.body.id}/binary`);
    expect(served.status).toBe(200);
    expect(Buffer.from(await served.arrayBuffer()).equals(binary)).toBe(true);

    const actions = (await t.ctx.db.select().from(auditLog).where(eq(auditLog.target, `agent-release:${created.body.id}`))).map((a) => a.action);
    expect(actions).toEqual(['agent_release.create', 'agent_release.upload']);
  });

  it('needs agents:update to upload or roll out; devices:read to look', async () => {
    const operator = await t.as('support');
    expect((await t.call('POST', '/api/v1/agent-releases', { headers: operator, body: release(binary, { version: '0.2.1' }) })).status).toBe(403);
    expect((await t.call('POST', '/api/v1/agent-rollouts', { headers: operator, body: { version: '0.2.0', rings: [{ percent: 100 }] } })).status).toBe(403);
    expect((await t.call('GET', '/api/v1/agent-releases', { headers: operator })).status).toBe(200);
  });

  it('refuses a downgrade unless the release is marked rollback', async () => {
    const [device] = await seedDevices(t.ctx, 1);
    await t.ctx.db.update(devices).set({ agentVersion: '0.3.0' }).where(eq(devices.id, device!));
    const refused = await t.call('POST', '/api/v1/agent-rollouts', { headers: admin, body: { version: '0.2.0', rings: [{ percent: 100 }] } });
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toMatch(/0\.3\.0.*rollback/);

    const back = release(binary, { version: '0.1.5', rollback: true });
    const created = await t.call('POST', '/api/v1/agent-releases', { headers: admin, body: back });
    expect((await upload(created.body.id, binary)).status).toBe(200);
    const rollout = await t.call('POST', '/api/v1/agent-rollouts', { headers: admin, body: { version: '0.1.5', rings: [{ percent: 1 }, { percent: 100 }], windowSec: 60 } });
    expect(rollout.status, JSON.stringify(rollout.body)).toBe(201);
    expect(rollout.body).toMatchObject({ state: 'running', currentRing: 0 });

    const second = await t.call('POST', '/api/v1/agent-rollouts', { headers: admin, body: { version: '0.1.5', rings: [{ percent: 100 }] } });
    expect(second.status).toBe(409);
    const paused = await t.call('POST', `/api/v1/agent-rollouts/${rollout.body.id}/pause`, { headers: admin, body: { reason: 'checking' } });
    expect(paused.body).toMatchObject({ state: 'paused', pausedReason: 'checking' });
    expect((await t.call('POST', `/api/v1/agent-rollouts/${rollout.body.id}/pause`, { headers: admin, body: {} })).status).toBe(409);
    const resumed = await t.call('POST', `/api/v1/agent-rollouts/${rollout.body.id}/resume`, { headers: admin });
    expect(resumed.body).toMatchObject({ state: 'running', pausedReason: null });
    const actions = (await t.ctx.db.select().from(auditLog).where(eq(auditLog.target, `agent-rollout:${rollout.body.id}`))).map((a) => a.action);
    expect(actions).toEqual(['agent_rollout.create', 'agent_rollout.pause', 'agent_rollout.resume']);
  });

  it('counts agent versions across the fleet', async () => {
    const res = await t.call('GET', '/api/v1/agent-releases/fleet', { headers: admin });
    expect(res.status).toBe(200);
    expect(res.body.versions).toContainEqual(expect.objectContaining({ version: '0.3.0', devices: 1 }));
  });
});
