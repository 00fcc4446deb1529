/**
 * A rollout across two backend instances on one PostgreSQL database: created on one, its devices connected to
 * either; each device is sent its update once, by the instance holding its channel, and the ring completes from
 * the devices' reports wherever they arrive.
 */
import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { releaseSigningText } from '@fixpoint/protocol';
import { postgresAdminUrl } from '../../testing/harness';
import { RawAgent, adminPassword, enrollmentToken, login, startLiveBackend, waitUntil, type LiveBackend } from '../../testing/live';

const dbName = `fixpoint_rollout_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
const admin = postgres(postgresAdminUrl, { max: 1, onnotice: () => {} });
const dbUrl = (() => {
  const url = new URL(postgresAdminUrl);
  url.pathname = `/${dbName}`;
  return url.toString();
})();
const keys = generateKeyPairSync('ed25519');
const env = { FIXPOINT_UPDATE_PUBLIC_KEY: keys.publicKey.export({ type: 'spki', format: 'der' }).toString('base64') };
let one: LiveBackend;
let two: LiveBackend;
const agents: RawAgent[] = [];

beforeAll(async () => {
  await admin.unsafe(`create database ${dbName}`);
  one = await startLiveBackend({ databaseUrl: dbUrl, env, channel: { rolloutTickMs: 200 } });
  // every instance signs with the same envelope key (README, "Several backend instances")
  const dataDir = mkdtempSync(join(tmpdir(), 'fixpoint-live-'));
  cpSync(join(one.dataDir, 'keys'), join(dataDir, 'keys'), { recursive: true });
  two = await startLiveBackend({ databaseUrl: dbUrl, dataDir, env, channel: { rolloutTickMs: 200 } });
}, 120_000);

afterAll(async () => {
  for (const a of agents) await a.close();
  await two?.stop();
  await one?.stop();
  await admin.unsafe(`drop database if exists ${dbName} with (force)`);
  await admin.end();
});

describe('agent rollouts on two instances', () => {
  it('sends each device its update once, from the instance it is connected to, and completes from their reports', async () => {
    const token = await enrollmentToken(one.api);
    for (const [i, via] of [one, two, two].entries()) {
      const agent = await RawAgent.enroll(via.url, token, `raw-${i}`);
      await agent.connect();
      agents.push(agent);
    }
    const binary = Buffer.from('release bytes');
    const fields = { version: '0.2.0', os: 'linux', arch: 'x64', size: binary.length, sha256: createHash('sha256').update(binary).digest('hex'), rollback: false };
    const created = await one.api('POST', '/agent-releases', { ...fields, signature: sign(null, Buffer.from(releaseSigningText(fields)), keys.privateKey).toString('base64') });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const uploaded = await fetch(`${one.url}/api/v1/agent-releases/${created.body.id}/binary`, {
      method: 'PUT',
      headers: { cookie: await login(one.url, adminPassword), 'content-type': 'application/octet-stream' },
      body: binary,
    });
    expect(uploaded.status).toBe(200);

    const rollout = await two.api('POST', '/agent-rollouts', { version: '0.2.0', rings: [{ percent: 100 }], windowSec: 60 });
    expect(rollout.status, JSON.stringify(rollout.body)).toBe(201);
    for (const agent of agents) {
      const update = await agent.waitFor('update', () => true, 15_000);
      expect(update).toMatchObject({ version: '0.2.0', sha256: fields.sha256, releaseId: created.body.id });
    }
    // more turns of both runners: nobody is sent it twice
    await new Promise((r) => setTimeout(r, 1500));
    expect(agents.map((a) => a.of('update').length)).toEqual([1, 1, 1]);
    expect(agents.every((a) => a.badSeals.length === 0)).toBe(true);

    for (const [i, agent] of agents.entries())
      agent.send({ type: 'update_status', releaseId: created.body.id, version: '0.2.0', outcome: 'updated', message: `raw-${i} updated`, at: new Date().toISOString() });
    const done = await waitUntil(async () => {
      const r = (await one.api('GET', `/agent-rollouts/${rollout.body.id}`)).body;
      return r.state === 'completed' && r;
    }, 15_000, 'rollout completed');
    expect(done.progress).toMatchObject({ updated: 3, failed: 0 });
    const sends = (await two.api('GET', '/audit?action=agent_update.send&limit=10')).body.items.flatMap((e: { details: { devices: string[] } }) => e.details.devices);
    expect(sends.sort()).toEqual(agents.map((a) => a.deviceId).sort());
  }, 60_000);
});
