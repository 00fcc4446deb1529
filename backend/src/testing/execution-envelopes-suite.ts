import { createPublicKey, verify } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalJson, Envelope, LaunchRequest, type EnvelopePayload } from '@fixpoint/protocol';
import { executions } from '../db/schema';
import type { Principal } from '../services/identity/rights';
import { sampleAction, seedAction, seedDevices } from './fleet';
import { createTestBackend, type TestBackend } from './harness';
import { envelopeFor, envelopesFor } from '../services/executions/envelope';
import { launchExecutions } from '../services/executions/launch';
import { transitionExecution } from '../services/executions/transition';

const admin = {
  kind: 'user', id: 'u-1', label: 'user:admin@test.local', permissions: new Set(['admin']), runnableActions: '*',
  scopes: [{ all: true, tags: [], platforms: [] }],
} as unknown as Principal;

/** Envelopes signed at launch and rebuilt for the agent: secrets, whenNoUser of user runs, and what breaks the signature. */
export function executionEnvelopesSuite(database: 'pglite' | 'postgres') {
  describe(`execution envelopes (${database})`, () => {
    let t: TestBackend;
    let executionId: string;
    let deviceId: string;
    const publicKey = () => createPublicKey({ key: Buffer.from(t.ctx.signingKey.publicKeyDer, 'base64'), format: 'der', type: 'spki' });
    const verifies = (payload: EnvelopePayload, signature: string) =>
      verify(null, Buffer.from(canonicalJson(payload)), publicKey(), Buffer.from(signature, 'base64'));

    beforeAll(async () => {
      t = await createTestBackend({ database });
      await seedAction(t.ctx, sampleAction({ runAs: 'user', timeoutSec: 120 }));
      deviceId = (await seedDevices(t.ctx, 1, { platform: 'linux' }))[0]!;
      const { response } = await launchExecutions(t.ctx, {
        principal: admin,
        request: LaunchRequest.parse({ action: 'restart-spooler', devices: [deviceId], parameters: { Reason: 'disk full', Password: 'hunter2' } }),
      });
      executionId = response.executions[0]!.id;
    });
    afterAll(() => t.close());

    it('rebuilds the payload signed at launch, with secrets merged and named', async () => {
      const envelope = Envelope.parse(await envelopeFor(t.ctx, executionId));
      expect(envelope.keyId).toBe(t.ctx.signingKey.keyId);
      expect(envelope.script).toBe('systemctl restart cups\n');
      expect(envelope.payload).toMatchObject({
        v: 1,
        executionId,
        deviceId,
        actionSlug: 'restart-spooler',
        platform: 'linux',
        shell: 'sh',
        runAs: 'user',
        timeoutSec: 120,
        parameters: { Reason: 'disk full', Retries: 3, Password: 'hunter2' },
        secretParameters: ['Password'],
        outputs: [expect.objectContaining({ name: 'restarted', type: 'bool' }), expect.objectContaining({ name: 'free_bytes', type: 'size' })],
      });
      const [row] = await t.ctx.db.select().from(executions).where(eq(executions.id, executionId));
      expect(envelope.signature).toBe(row!.signature);
      expect(envelope.payload.issuedAt).toBe(row!.issuedAt.toISOString());
      expect(verifies(envelope.payload, envelope.signature)).toBe(true);
      expect((await envelopesFor(t.ctx, [executionId, 'junk'])).get(executionId)).toEqual(envelope);
      // whenNoUser wait (the default) is left out, so payloads of versions saved before it existed stay as signed
      expect(envelope.payload).not.toHaveProperty('whenNoUser');
    });

    it('carries whenNoUser skip or fail of a user run under the signature, and none for a system run', async () => {
      const launched: Record<string, EnvelopePayload> = {};
      for (const [slug, runAs, whenNoUser] of [['ask-skip', 'user', 'skip'], ['ask-fail', 'user', 'fail'], ['sys-skip', 'system', 'skip']] as const) {
        await seedAction(t.ctx, { ...sampleAction({ runAs, whenNoUser }), slug });
        const { response } = await launchExecutions(t.ctx, {
          principal: admin,
          request: LaunchRequest.parse({ action: slug, devices: [deviceId], parameters: { Reason: 'x', Password: 'p' } }),
        });
        const envelope = Envelope.parse(await envelopeFor(t.ctx, response.executions[0]!.id));
        expect(verifies(envelope.payload, envelope.signature)).toBe(true);
        launched[slug] = envelope.payload;
      }
      expect(launched['ask-skip']!.whenNoUser).toBe('skip');
      expect(launched['ask-fail']!.whenNoUser).toBe('fail');
      expect(launched['sys-skip']).not.toHaveProperty('whenNoUser');
      // a changed setting breaks the signature: the agent refuses it
      const forged = { ...launched['ask-skip']!, whenNoUser: 'fail' as const };
      const [row] = await t.ctx.db.select().from(executions).where(eq(executions.id, launched['ask-skip']!.executionId));
      expect(verifies(forged, row!.signature)).toBe(false);
    });

    it('binds the script hash to the script text', async () => {
      const { createHash } = await import('node:crypto');
      const envelope = await envelopeFor(t.ctx, executionId);
      expect(envelope.payload.scriptSha256).toBe(createHash('sha256').update(envelope.script).digest('hex'));
    });

    it('stops verifying when any bound field changes', async () => {
      const { payload, signature } = await envelopeFor(t.ctx, executionId);
      const other = '00000000-0000-4000-8000-000000000001';
      const tampered: EnvelopePayload[] = [
        { ...payload, deviceId: other },
        { ...payload, executionId: other },
        { ...payload, scriptSha256: 'f'.repeat(64) },
        { ...payload, parameters: { ...payload.parameters, Reason: 'rm -rf /' } },
        { ...payload, parameters: { ...payload.parameters, Password: 'other' } },
        { ...payload, expiresAt: new Date(Date.parse(payload.expiresAt) + 1000).toISOString() },
        { ...payload, runAs: 'system' },
        { ...payload, secretParameters: [] },
      ];
      for (const p of tampered) expect(verifies(p, signature)).toBe(false);
      expect(verifies(payload, signature)).toBe(true);
    });

    it('no longer verifies once the stored row is changed behind the backend', async () => {
      const [row] = await t.ctx.db.select().from(executions).where(eq(executions.id, executionId));
      await t.ctx.db.update(executions).set({ parameters: { ...row!.parameters, Reason: 'changed' } }).where(eq(executions.id, executionId));
      const envelope = await envelopeFor(t.ctx, executionId);
      expect(verifies(envelope.payload, envelope.signature)).toBe(false);
      await t.ctx.db.update(executions).set({ parameters: row!.parameters }).where(eq(executions.id, executionId));
    });

    it('is not available for unknown or finished executions', async () => {
      await expect(envelopeFor(t.ctx, 'nope')).rejects.toMatchObject({ status: 404 });
      await expect(envelopeFor(t.ctx, '00000000-0000-4000-8000-000000000009')).rejects.toMatchObject({ status: 404 });
      await transitionExecution(t.ctx, { executionId, deviceId, to: 'failed' });
      await expect(envelopeFor(t.ctx, executionId)).rejects.toMatchObject({ status: 409 });
      expect((await envelopesFor(t.ctx, [executionId])).size).toBe(0);
    });
  });
}
