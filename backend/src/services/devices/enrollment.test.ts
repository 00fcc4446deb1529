import { generateKeyPairSync } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION } from '@fixpoint/protocol';
import { auditLog, devices, enrollmentTokens } from '../../db/schema';
import { agentKeyPair } from '../../testing/fleet';
import { createTestBackend, type TestBackend } from '../../testing/harness';
import { hashToken } from '../identity/tokens';

const enrollBody = (token: string, overrides: Record<string, unknown> = {}) => ({
  token,
  publicKey: agentKeyPair().publicKey,
  name: 'LAPTOP-042',
  platform: 'windows',
  osVersion: '10.0.22631',
  agentVersion: '0.1.0',
  ...overrides,
});

describe('enrollment tokens and enrollment', () => {
  let t: TestBackend;
  let admin: Record<string, string>;
  let clock = new Date();
  beforeAll(async () => {
    t = await createTestBackend({ now: () => clock });
    admin = await t.as('admin');
  });
  afterAll(() => t.close());

  const createToken = async (body: Record<string, unknown> = {}) => {
    const res = await t.call('POST', '/api/v1/enrollment-tokens', { headers: admin, body });
    expect(res.status).toBe(201);
    return res.body;
  };

  it('creates a token shown once and stored only as a hash', async () => {
    const created = await createToken({ description: 'paris', tags: ['site:paris'], oneTime: false, maxUses: 5 });
    expect(created.token).toMatch(/^fxp_enr_/);
    expect(created).toMatchObject({ oneTime: false, maxUses: 5, uses: 0, revoked: false, tags: ['site:paris'] });
    const [row] = await t.ctx.db.select().from(enrollmentTokens).where(eq(enrollmentTokens.id, created.id));
    expect(row!.tokenHash).toBe(hashToken(created.token));
    expect(JSON.stringify(row)).not.toContain(created.token);
    const list = await t.call('GET', '/api/v1/enrollment-tokens', { headers: admin });
    expect(list.status).toBe(200);
    expect(list.body.items.find((i: any) => i.id === created.id)).toBeTruthy();
    expect(JSON.stringify(list.body)).not.toContain(created.token);
    const audit = await t.ctx.db.select().from(auditLog).where(eq(auditLog.action, 'enrollment-token.create'));
    expect(audit.length).toBeGreaterThan(0);
  });

  it('refuses token management to non-admins and anonymous callers', async () => {
    for (const role of ['support', 'author', 'viewer']) {
      const headers = await t.as(role);
      expect((await t.call('POST', '/api/v1/enrollment-tokens', { headers, body: {} })).status).toBe(403);
      expect((await t.call('GET', '/api/v1/enrollment-tokens', { headers })).status).toBe(403);
    }
    expect((await t.call('POST', '/api/v1/enrollment-tokens', { body: {} })).status).toBe(401);
  });

  it('rejects bad token specs', async () => {
    const bad = [
      { oneTime: true, maxUses: 3 },
      { tags: ['Not A Tag'] },
      { expiresInSec: 5 },
      { unknown: 1 },
      { tags: "'; drop table devices; --" },
    ];
    for (const body of bad) {
      const res = await t.call('POST', '/api/v1/enrollment-tokens', { headers: admin, body });
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
    const raw = await t.call('POST', '/api/v1/enrollment-tokens', { headers: { ...admin, 'content-type': 'application/json' }, body: '{"oneTime":' });
    expect(raw.status).toBe(400);
    expect(raw.body.error.code).toBe('invalid_json');
  });

  it('enrolls a device with the token tags and returns the key to pin', async () => {
    const { token, id } = await createToken({ tags: ['site:lyon', 'kiosk'] });
    const res = await t.call('POST', '/api/v1/enroll', { body: enrollBody(token) });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      deviceId: expect.any(String),
      serverPublicKey: t.ctx.signingKey.publicKeyDer,
      serverKeyId: t.ctx.signingKey.keyId,
      protocolVersion: PROTOCOL_VERSION,
      // no update key configured: agents pin none and refuse every update
      updatePublicKey: null,
    });
    const [device] = await t.ctx.db.select().from(devices).where(eq(devices.id, res.body.deviceId));
    expect(device).toMatchObject({ name: 'LAPTOP-042', platform: 'windows', tags: ['site:lyon', 'kiosk'], enrollmentTokenId: id });
    const [audit] = await t.ctx.db.select().from(auditLog).where(eq(auditLog.target, `device:${res.body.deviceId}`));
    expect(audit).toMatchObject({ action: 'device.enroll', actor: `enrollment-token:${id}` });
  });

  it('lets exactly one of two concurrent enrollments spend a one-time token', async () => {
    const { token, id } = await createToken();
    const results = await Promise.all([1, 2].map(() => t.call('POST', '/api/v1/enroll', { body: enrollBody(token) })));
    expect(results.map((r) => r.status).sort()).toEqual([201, 403]);
    expect(results.find((r) => r.status === 403)!.body.error.message).toMatch(/already used/);
    const enrolled = await t.ctx.db.select().from(devices).where(eq(devices.enrollmentTokenId, id));
    expect(enrolled).toHaveLength(1);
  });

  it('counts uses against maxUses', async () => {
    const { token } = await createToken({ oneTime: false, maxUses: 2 });
    expect((await t.call('POST', '/api/v1/enroll', { body: enrollBody(token) })).status).toBe(201);
    expect((await t.call('POST', '/api/v1/enroll', { body: enrollBody(token) })).status).toBe(201);
    const third = await t.call('POST', '/api/v1/enroll', { body: enrollBody(token) });
    expect(third.status).toBe(403);
    expect(third.body.error.message).toMatch(/no uses left/);
  });

  it('refuses expired, revoked and unknown tokens', async () => {
    const expiring = await createToken({ oneTime: false, expiresInSec: 60 });
    const saved = clock;
    clock = new Date(saved.getTime() + 61_000);
    const expired = await t.call('POST', '/api/v1/enroll', { body: enrollBody(expiring.token) });
    clock = saved;
    expect(expired.status).toBe(403);
    expect(expired.body.error.message).toMatch(/expired/);

    const revoked = await createToken({ oneTime: false });
    expect((await t.call('DELETE', `/api/v1/enrollment-tokens/${revoked.id}`, { headers: admin })).status).toBe(204);
    expect((await t.call('DELETE', `/api/v1/enrollment-tokens/${revoked.id}`, { headers: admin })).status).toBe(204);
    const res = await t.call('POST', '/api/v1/enroll', { body: enrollBody(revoked.token) });
    expect(res.status).toBe(403);
    expect(res.body.error.message).toMatch(/revoked/);
    const list = await t.call('GET', '/api/v1/enrollment-tokens?limit=500', { headers: admin });
    expect(list.body.items.find((i: any) => i.id === revoked.id).revoked).toBe(true);

    const unknown = await t.call('POST', '/api/v1/enroll', { body: enrollBody('fxp_enr_does-not-exist-at-all') });
    expect(unknown.status).toBe(401);
    expect((await t.call('DELETE', '/api/v1/enrollment-tokens/00000000-0000-4000-8000-000000000000', { headers: admin })).status).toBe(404);
    expect((await t.call('DELETE', '/api/v1/enrollment-tokens/nope', { headers: admin })).status).toBe(400);
  });

  it('rejects keys that are not Ed25519 SPKI DER, and spends nothing', async () => {
    const { token, id } = await createToken();
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
    const x25519 = generateKeyPairSync('x25519').publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
    for (const publicKey of [rsa.slice(0, 200), x25519, 'A'.repeat(60), 'not base64 at all!!!!!!!!!!!!!!!!!!!!!!!!!!!!', "' or 1=1 --".padEnd(44, 'x')]) {
      const res = await t.call('POST', '/api/v1/enroll', { body: enrollBody(token, { publicKey }) });
      expect(res.status, publicKey).toBe(400);
    }
    const [row] = await t.ctx.db.select().from(enrollmentTokens).where(eq(enrollmentTokens.id, id));
    expect(row!.uses).toBe(0);
    expect((await t.call('POST', '/api/v1/enroll', { body: enrollBody(token) })).status).toBe(201);
  });

  it('refuses a device name that is not a host name, with a 400 that says why, and spends no token', async () => {
    const { id, token } = await createToken({ oneTime: true });
    for (const name of ['<img src=x onerror=alert(1)>', 'Ana MacBook', 'DESKTOP_01', '-pc', 'a'.repeat(64), `${'a'.repeat(63)}.`.repeat(4) + 'a']) {
      const res = await t.call('POST', '/api/v1/enroll', { body: enrollBody(token, { name }) });
      expect(res.status, name).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
      expect(res.body.error.message, name).toMatch(/name must be the device's host name/);
    }
    const [row] = await t.ctx.db.select().from(enrollmentTokens).where(eq(enrollmentTokens.id, id));
    expect(row!.uses).toBe(0);
    const ok = await t.call('POST', '/api/v1/enroll', { body: enrollBody(token, { name: ' ws-par-3381.corp.acme.example ' }) });
    expect(ok.status).toBe(201);
    const [device] = await t.ctx.db.select().from(devices).where(eq(devices.id, ok.body.deviceId));
    expect(device!.name).toBe('ws-par-3381.corp.acme.example');
  });

  it('validates the enroll body', async () => {
    const { token } = await createToken({ oneTime: false });
    for (const body of [
      enrollBody(token, { platform: 'beos' }),
      enrollBody(token, { extra: true }),
      enrollBody(token, { name: '' }),
      enrollBody(token, { facts: 'x' }),
      { token },
    ]) {
      const res = await t.call('POST', '/api/v1/enroll', { body });
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
    const text = await t.call('POST', '/api/v1/enroll', { headers: { 'content-type': 'text/plain' }, body: 'hello' });
    expect(text.status).toBe(415);
  });
});
