/**
 * End to end with a real agent process whose local policy requires publisher signatures: it runs a version someone
 * other than its author approved (signed with the organization's publisher key, which the agent pins) and refuses
 * an unapproved one, with the reason recorded on the execution.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { approveVersion } from '../services/actions';
import { AgentProcess, buildAgentBundle } from '../testing/agent-process';
import { enrollmentToken, startLiveBackend, waitUntil, type LiveBackend } from '../testing/live';

let live: LiveBackend;
let agent: AgentProcess;

const definition = (echo: string) => ({
  slug: 'signed-hello', name: 'Signed hello', purpose: 'data_collection',
  scripts: { linux: { shell: 'sh', source: `echo "${echo}"\nfixpoint output said "${echo}"\n` } },
  outputs: [{ name: 'said', type: 'string' }],
});

beforeAll(async () => {
  const bundle = buildAgentBundle();
  live = await startLiveBackend({ env: { FIXPOINT_REQUIRE_APPROVAL: 'true' } });
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

describe('an agent that requires publisher signatures', () => {
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
});
