/**
 * Two backend processes on one PostgreSQL database (created and dropped here), with a real agent. The agent reaches
 * the backends through a TCP proxy (its enrolled server address), which stands in for a load balancer: when the
 * instance it points at is killed, the proxy is pointed at the other one and the agent reconnects there by itself.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AgentProcess, buildAgentBundle } from '../testing/agent-process';
import { BackendProcess, TcpProxy, buildBackend } from '../testing/backend-process';
import { postgresAdminUrl } from '../testing/harness';
import { adminPassword, apiCall, enrollmentToken, login, waitUntil } from '../testing/live';

const dbName = `fixpoint_scale_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
const admin = postgres(postgresAdminUrl, { max: 1, onnotice: () => {} });
const dbUrl = (() => {
  const url = new URL(postgresAdminUrl);
  url.pathname = `/${dbName}`;
  return url.toString();
})();
const sql = postgres(dbUrl, { max: 1, onnotice: () => {} });
const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'fixpoint-scale-'));
  dirs.push(dir);
  return dir;
};

let main: string;
let a: BackendProcess;
let b: BackendProcess;
let proxy: TcpProxy;
let agent: AgentProcess;
let cookie: string;

/** A backend process on the shared database. Every instance must sign with the same envelope key: it is copied. */
function backend(keysFrom?: string): BackendProcess {
  const dataDir = tempDir();
  if (keysFrom) {
    mkdirSync(join(dataDir, 'keys'), { recursive: true, mode: 0o700 });
    copyFileSync(join(keysFrom, 'keys', 'envelope-ed25519.pem'), join(dataDir, 'keys', 'envelope-ed25519.pem'));
  }
  return new BackendProcess(main, { DATABASE_URL: dbUrl, FIXPOINT_DATA_DIR: dataDir, FIXPOINT_ADMIN_PASSWORD: adminPassword });
}
const dataDirOf = (p: BackendProcess) => p.env.FIXPOINT_DATA_DIR!;
const api = (p: BackendProcess, method: string, path: string, body?: unknown) => apiCall(p.url, { cookie }, method, path, body);
const launch = async (via: BackendProcess, parameters: Record<string, unknown> = {}) => {
  const res = await api(via, 'POST', '/executions', { action: 'nap', devices: [agent.deviceId], parameters });
  expect(res.status, JSON.stringify(res.body)).toBe(202);
  return res.body.executions[0].id as string;
};
const statusOf = async (via: BackendProcess, id: string) => (await api(via, 'GET', `/executions/${id}`)).body.status as string;
const presence = async () => (await sql`select instance_id from device_presence where device_id = ${agent.deviceId}`)[0]?.instance_id;

beforeAll(async () => {
  main = buildBackend();
  const bundle = buildAgentBundle();
  await admin.unsafe(`create database ${dbName}`);
  a = await backend().start();
  b = await backend(dataDirOf(a)).start();
  cookie = await login(b.url, adminPassword);
  proxy = new TcpProxy(a.port);
  await proxy.start();
  const token = await enrollmentToken((method, path, body) => api(a, method, path, body));
  const created = await api(b, 'POST', '/actions', {
    slug: 'nap', name: 'Nap', purpose: 'data_collection',
    scripts: { linux: { shell: 'sh', source: 'sleep "$FIXPOINT_PARAM_SECONDS"\n[ -n "$FIXPOINT_PARAM_MARK" ] && echo done >> "$FIXPOINT_PARAM_MARK"\nexit 0\n' } },
    parameters: [{ name: 'Seconds', type: 'string', default: '0' }, { name: 'Mark', type: 'string', default: '' }],
  });
  expect(created.status).toBe(201);
  agent = new AgentProcess(bundle);
  await agent.enroll(proxy.url, token, 'scale-out');
  agent.start();
}, 120_000);

afterAll(async () => {
  await agent?.dispose();
  await proxy?.stop();
  for (const p of [a, b]) await p?.kill();
  await sql.end();
  await admin.unsafe(`drop database if exists ${dbName} with (force)`);
  await admin.end();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('two backend processes on one PostgreSQL database', () => {
  it('delivers a launch made through B to the agent connected to A at once, and fans events and cancels out', async () => {
    await waitUntil(async () => (await presence()) === a.instanceId, 20_000, 'agent present on A');
    expect((await api(b, 'GET', `/devices/${agent.deviceId}`)).body.online).toBe(true);

    // Live status on A for the device, while everything is launched through B.
    const events: { id: string; status: string }[] = [];
    const stream = await fetch(`${a.url}/api/v1/executions/events?deviceId=${agent.deviceId}`, { headers: { cookie } });
    expect(stream.status).toBe(200);
    const reader = stream.body!.getReader();
    void (async () => {
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
        if (done) return;
        const lines = (buffer + Buffer.from(value!).toString()).split('\n');
        buffer = lines.pop()!;
        for (const line of lines) if (line.startsWith('data: ')) events.push(JSON.parse(line.slice(6)));
      }
    })();

    const started = Date.now();
    const id = await launch(b);
    await waitUntil(async () => (await statusOf(b, id)) !== 'queued', 5000, 'delivered');
    // No polling anywhere: only the NOTIFY from B can have told A.
    expect(Date.now() - started).toBeLessThan(2000);
    await waitUntil(async () => (await statusOf(b, id)) === 'succeeded', 10_000, 'succeeded');
    await waitUntil(() => events.some((e) => e.id === id && e.status === 'succeeded'), 5000, 'events on A');
    // `queued` was published on B, `succeeded` on A (where the result arrived): A's stream has both.
    expect(events.filter((e) => e.id === id).map((e) => e.status)).toEqual(expect.arrayContaining(['queued', 'delivered', 'running', 'succeeded']));

    const long = await launch(b, { Seconds: '30' });
    await waitUntil(async () => (await statusOf(b, long)) === 'running', 10_000, 'running');
    expect((await api(b, 'POST', `/executions/${long}/cancel`)).status).toBe(200);
    await waitUntil(() => agent.logged('execution finished').find((l) => l.executionId === long && l.status === 'canceled'), 10_000, 'the agent ended the run');
    await reader.cancel();
  }, 60_000);

  it('keeps dispatch correct when an instance is killed: the agent moves to the other one and pulls', async () => {
    const mark = join(tempDir(), 'mark');
    const inFlight = await launch(b, { Seconds: '3', Mark: mark });
    await waitUntil(async () => (await statusOf(b, inFlight)) === 'running', 10_000, 'running on A');
    await a.kill('SIGKILL');
    proxy.retarget(b.port);
    // The run ends while the agent has no server; its result reaches B after the reconnect.
    await waitUntil(async () => (await statusOf(b, inFlight)) === 'succeeded', 30_000, 'in-flight result stored through B');
    expect(readFileSync(mark, 'utf8')).toBe('done\n');
    await waitUntil(async () => (await presence()) === b.instanceId, 10_000, 'agent present on B');
    expect((await api(b, 'GET', `/devices/${agent.deviceId}`)).body.online).toBe(true);
    const next = await launch(b);
    await waitUntil(async () => (await statusOf(b, next)) === 'succeeded', 10_000, 'launch on B');

    // And the other way round: a new A, B killed, work launched while the agent has no server.
    a = await backend(dataDirOf(b)).start();
    await b.kill('SIGKILL');
    const queuedOnA = await launch(a);
    proxy.retarget(a.port);
    await waitUntil(async () => (await statusOf(a, queuedOnA)) === 'succeeded', 30_000, 'queued work reached the agent through the new A');
    await waitUntil(async () => (await presence()) === a.instanceId, 10_000, 'agent present on the new A');
  }, 90_000);
});
