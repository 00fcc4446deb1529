/**
 * Two backend instances on one PostgreSQL database (created and dropped here) and an agent connected to B, while
 * launches go through A: the one push that should reach the agent is lost, and the work must still arrive. B connects
 * as a role of its own, so the test can refuse B new connections (PostgreSQL's "too many connections", 53300, as a
 * server at `max_connections` answers) without touching A.
 */
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresAdminUrl } from '../testing/harness';
import { enrollmentToken, RawAgent, startLiveBackend, waitUntil, type LiveBackend } from '../testing/live';

const suffix = `${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
const dbName = `fixpoint_missed_${suffix}`;
const roleName = `fixpoint_missed_b_${suffix}`;
const admin = postgres(postgresAdminUrl, { max: 1, onnotice: () => {} });
const urlAs = (user?: string) => {
  const url = new URL(postgresAdminUrl);
  url.pathname = `/${dbName}`;
  if (user) url.username = user;
  return url.toString();
};

let a: LiveBackend;
let b: LiveBackend;
let agent: RawAgent;

const launch = async () => {
  const res = await a.api('POST', '/executions', { action: 'noop', devices: [agent.deviceId], parameters: {} });
  expect(res.status, JSON.stringify(res.body)).toBe(202);
  return res.body.executions[0].id as string;
};
const executeOf = (id: string) => agent.of('execute').find((m) => m.envelope.payload.executionId === id);
const statusOf = async (id: string) => (await a.api('GET', `/executions/${id}`)).body.status as string;

beforeAll(async () => {
  await admin.unsafe(`create role ${roleName} login`);
  // B migrates, so the tables are its role's; A connects as the server's superuser, which may use them too.
  await admin.unsafe(`create database ${dbName} owner ${roleName}`);
  b = await startLiveBackend({ databaseUrl: urlAs(roleName), channel: { sweepMs: 300, missedWorkMs: 1000 } });
  a = await startLiveBackend({ databaseUrl: urlAs(), shareWith: b });
  expect((await a.api('POST', '/actions', { slug: 'noop', name: 'No-op', purpose: 'data_collection', scripts: { linux: { source: 'true\n' } } })).status).toBe(201);
  agent = await RawAgent.enroll(b.url, await enrollmentToken(a.api));
  await agent.connect();
  // the pull has been answered (nothing pending) once B reports the device online through A
  await waitUntil(async () => (await a.api('GET', `/devices/${agent.deviceId}`)).body.online === true, 10_000, 'device online');
}, 60_000);

afterAll(async () => {
  await admin.unsafe(`alter role ${roleName} connection limit -1`).catch(() => {});
  await agent?.close();
  await a?.stop();
  await b?.stop();
  await admin.unsafe(`drop database if exists ${dbName} with (force)`);
  await admin.unsafe(`drop role if exists ${roleName}`);
  await admin.end();
});

describe('queued work for a device connected to another instance', () => {
  it('arrives although the push round on that instance failed for want of a database connection', async () => {
    // B keeps its LISTEN connection (it hears the dispatch) and loses the others; new ones are refused.
    await admin.unsafe(`alter role ${roleName} connection limit 1`);
    await admin.unsafe(`select pg_terminate_backend(pid) from pg_stat_activity where usename = '${roleName}' and query not ilike 'listen%'`);
    await expect.poll(async () => Number((await admin.unsafe(`select count(*) as n from pg_stat_activity where usename = '${roleName}'`))[0]!.n), { timeout: 5000 }).toBe(1);
    const id = await launch();
    // The dispatch reached B, whose pending-work look-up failed: nothing was sent.
    await new Promise((r) => setTimeout(r, 1500));
    expect(executeOf(id)).toBeUndefined();
    expect(await statusOf(id)).toBe('queued');
    await admin.unsafe(`alter role ${roleName} connection limit -1`);
    // B's driver backs off between connection attempts after failures (postgres.js: up to 20 s once many failed, as
    // B's timers and retries did meanwhile), so the retry may wait that long before it can read.
    await expect.poll(() => executeOf(id), { timeout: 30_000 }).toBeDefined();
  }, 60_000);

  it('arrives although the dispatch notification was lost', async () => {
    const publish = a.backend.cluster.publish;
    // A commits the launch but tells no other instance, as when its NOTIFY fails or B misses it.
    a.backend.cluster.publish = (topic, items) => (topic === 'dispatch' ? undefined : publish(topic, items));
    try {
      const id = await launch();
      await new Promise((r) => setTimeout(r, 300));
      expect(executeOf(id)).toBeUndefined();
      // B's check for missed work runs every second, for work older than that
      await expect.poll(() => executeOf(id), { timeout: 30_000 }).toBeDefined();
      // and it is sent once: later checks see it was sent on this connection
      await new Promise((r) => setTimeout(r, 2500));
      expect(agent.of('execute').filter((m) => m.envelope.payload.executionId === id)).toHaveLength(1);
    } finally {
      a.backend.cluster.publish = publish;
    }
  }, 60_000);
});
