import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentKeyPair, seedAction, seedDevices } from '../../testing/fleet';
import { createTestBackend, type TestBackend } from '../../testing/harness';

// Input PostgreSQL cannot store, or that is merely large or strange, must be refused with a 4xx, never a 500.
describe('hostile input on devices, enrollment and executions', () => {
  let t: TestBackend;
  let admin: Record<string, string>;
  let device: string;
  beforeAll(async () => {
    t = await createTestBackend();
    admin = await t.as('admin');
    await seedAction(t.ctx);
    [device] = (await seedDevices(t.ctx, 1)) as [string];
  });
  afterAll(() => t.close());

  it('refuses NUL characters with 400 everywhere they could reach the database', async () => {
    const launch = { action: 'restart-spooler', devices: [device], parameters: { Reason: 'ok' } };
    const cases: [string, string, unknown?, Record<string, string>?][] = [
      ['POST', '/api/v1/executions', { ...launch, parameters: { Reason: 'a\u0000b' } }],
      ['POST', '/api/v1/executions', { ...launch, triggerInfo: { reason: 'x\u0000' } }],
      ['POST', '/api/v1/executions', { ...launch, action: 'a\u0000b' }],
      ['GET', '/api/v1/devices?search=a%00b'],
      ['GET', '/api/v1/devices?tag=a%00b'],
      ['GET', '/api/v1/executions?action=a%00b'],
      ['POST', '/api/v1/enrollment-tokens', { description: 'a\u0000' }],
    ];
    for (const [method, path, body] of cases) {
      const res = await t.call(method, path, { headers: admin, body });
      expect(res.status, `${method} ${path} ${JSON.stringify(body)}`).toBe(400);
    }
    const { token } = (await t.call('POST', '/api/v1/enrollment-tokens', { headers: admin, body: { oneTime: false } })).body;
    const enroll = { token, publicKey: agentKeyPair().publicKey, name: 'pc', platform: 'linux', osVersion: '1', agentVersion: '1' };
    for (const body of [{ ...enroll, name: 'p\u0000c' }, { ...enroll, facts: { 'k\u0000': 1 } }, { ...enroll, facts: { a: [{ b: 'c\u0000' }] } }])
      expect((await t.call('POST', '/api/v1/enroll', { body })).status).toBe(400);
    expect((await t.call('POST', '/api/v1/enroll', { body: enroll })).status).toBe(201);
  });

  it('refuses oversized bodies and odd types', async () => {
    const huge = { action: 'restart-spooler', devices: [device], parameters: { Reason: 'x'.repeat(5 * 1024 * 1024) } };
    expect((await t.call('POST', '/api/v1/executions', { headers: admin, body: huge })).status).toBe(413);
    const { token } = (await t.call('POST', '/api/v1/enrollment-tokens', { headers: admin, body: { oneTime: false } })).body;
    const enroll = { token, publicKey: agentKeyPair().publicKey, name: 'pc', platform: 'linux', osVersion: '1', agentVersion: '1' };
    const deep = `{"deep":${'['.repeat(5000)}${']'.repeat(5000)}}`;
    const res = await t.call('POST', '/api/v1/enroll', { body: JSON.stringify(enroll).replace(/}$/, `,"facts":${deep}}`) });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/nested deeper/);
    const params = `{"action":"restart-spooler","devices":["${device}"],"parameters":{"Reason":${'['.repeat(5000)}${']'.repeat(5000)}}}`;
    expect((await t.call('POST', '/api/v1/executions', { headers: admin, body: params })).status).toBe(400);
    for (const body of [[], 'x', 42, null, { action: 1, devices: 'all' }])
      expect((await t.call('POST', '/api/v1/executions', { headers: admin, body: JSON.stringify(body) })).status).toBe(400);
  });
});
