/**
 * @module End to end with a real agent process whose local policy requires publisher signatures: it runs a version someone
 * other than its author approved (signed with the organization's publisher key, which the agent pins) and refuses
 * an unapproved one, and one signed with a key it does not pin, with the reason recorded on the execution. Run on
 * PGlite (channel/publisher-signature.test.ts) and on PostgreSQL (publisher-signature.pg.test.ts).
 */
import { generateKeyPairSync, sign } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { publisherSigningText } from '@fixpoint/protocol';
import { actionVersions } from '../db/schema';
import { approveVersion } from '../services/actions';
import { rememberVersion } from '../services/executions/version-cache';
import { AgentProcess, buildAgentBundle } from './agent-process';
import { enrollmentToken, startLiveBackend, waitUntil, type LiveBackend } from './live';

export function publisherSignatureSuite(database: 'pglite' | 'postgres') {
  let live: LiveBackend;
  let agent: AgentProcess;

  const definition = (echo: string) => ({
    slug: 'signed-hello', name: 'Signed hello', purpose: 'data_collection',
    scripts: { linux: { shell: 'sh', source: `echo "${echo}"\nfixpoint output said "${echo}"\n` } },
    outputs: [{ name: 'said', type: 'string' }],
  });

  beforeAll(async () => {
    const bundle = buildAgentBundle();
    live = await startLiveBackend({ database, env: { FIXPOINT_REQUIRE_APPROVAL: 'true' } });
    const created = await live.api('POST', '/actions', definition('approved hello'));
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    await approveVersion(live.backend.ctx, { actor: 'user:reviewer@test.local', idOrSlug: 'signed-hello', version: 1, visibility: '*' });
    const key = await live.api('GET', '/keys/publisher');
    expect(key.status).toBe(200);

    agent = new AgentProcess(bundle);
    mkdirSync(agent.stateDir, { recursive: true, mode: 0o700 });
    writeFileSync(
      join(agent.stateDir, 'config.json'),
      JSON.stringify({ requirePublisherSignature: true, publisherKeys: [key.body.publicKeyDer] }),
      { mode: 0o600 },
    );
    await agent.enroll(live.url, await enrollmentToken(live.api));
    agent.start();
    await waitUntil(() => live.backend.ctx.dispatcher.isOnline(agent.deviceId), 20_000, 'agent connected');
  }, 120_000);

  afterAll(async () => {
    await agent?.dispose();
    await live?.stop();
  });

  const run = async (version?: number) => {
    const res = await live.api('POST', '/executions', { action: 'signed-hello', devices: [agent.deviceId], ...(version && { actionVersion: version }) });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    const id = res.body.executions[0].id as string;
    return waitUntil(async () => {
      const e = (await live.api('GET', `/executions/${id}`)).body;
      return ['succeeded', 'failed', 'timed_out', 'canceled', 'expired'].includes(e.status) && e;
    }, 20_000, `execution ${id} finished`);
  };

  describe(`an agent that requires publisher signatures (${database})`, () => {
    it('runs an approved version, signed by the pinned publisher key', async () => {
      const done = await run();
      expect(done).toMatchObject({ status: 'succeeded', outputs: { said: 'approved hello' } });
    });

    it('refuses an unapproved version with the reason, and still runs the approved one', async () => {
      const edited = await live.api('PUT', '/actions/signed-hello', definition('unreviewed hello'));
      expect(edited.body.current).toMatchObject({ version: 2, approval: { state: 'unapproved' } });
      const refused = await run();
      expect(refused.status).toBe('failed');
      expect(refused.error).toMatch(/unsigned_script|publisher signature/);
      expect(refused.stdoutTail ?? '').not.toContain('unreviewed hello');
      expect(await run(1)).toMatchObject({ status: 'succeeded', outputs: { said: 'approved hello' } });
    });

    it('refuses a version whose signature comes from a key it does not pin (re-signed on the server)', async () => {
      const edited = await live.api('PUT', '/actions/signed-hello', definition('re-signed hello'));
      const version = edited.body.current.version as number;
      const ctx = live.backend.ctx;
      await approveVersion(ctx, { actor: 'user:reviewer@test.local', idOrSlug: 'signed-hello', version, visibility: '*' });
      // what whoever held another key could produce: a valid-looking signature over the right text
      const rogue = generateKeyPairSync('ed25519').privateKey;
      const text = publisherSigningText({ actionSlug: 'signed-hello', actionVersion: version, platform: 'linux', scriptSha256: edited.body.current.scriptHashes.linux });
      const [row] = await ctx.db
        .update(actionVersions)
        .set({ publisherSignatures: { linux: sign(null, Buffer.from(text), rogue).toString('base64') } })
        .where(and(eq(actionVersions.actionId, edited.body.id), eq(actionVersions.version, version)))
        .returning();
      rememberVersion(ctx.db, row!);
      const refused = await run();
      expect(refused.status).toBe('failed');
      expect(refused.error).toContain(`no pinned publisher key verifies the signature of signed-hello version ${version} for linux`);
      expect(refused.stdoutTail ?? '').not.toContain('re-signed hello');
    });
  });
}
