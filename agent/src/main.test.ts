/**
 * Process-level tests: the bundled CLI (built once), run as real processes against the fake server.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { createServer as createTcpServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isProcessAlive } from './exec/posix-process';
import { waitUntil } from './testing/fake-server';
import { tempDir } from './testing/helpers';
import { useBundledAgents } from './testing/bundled';

const agents = useBundledAgents();
const { server, children } = agents;

/** Runs the CLI to completion. Asynchronous: the fake server lives in this process and must keep answering. */
function cli(stateDir: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [agents.bundle, ...args], { env: { ...process.env, FIXPOINT_AGENT_STATE_DIR: stateDir } }, (err, stdout, stderr) =>
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

function startDaemon(stateDir: string): ChildProcess {
  const child = spawn(process.execPath, [agents.bundle, 'run'], {
    env: { ...process.env, FIXPOINT_AGENT_STATE_DIR: stateDir, FIXPOINT_AGENT_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  children.push(child);
  return child;
}

/** A port nothing listens on: bound, then closed. */
async function closedPort(): Promise<number> {
  const probe = createTcpServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

const exited = (child: ChildProcess) =>
  new Promise<number | null>((resolve) => (child.exitCode !== null || child.signalCode ? resolve(child.exitCode) : child.once('exit', (code) => resolve(code))));

describe('fixpoint-agent (bundled CLI)', () => {
  it('enrolls: stores the identity privately and pins the server key', async () => {
    const stateDir = join(tempDir(), 'state');
    expect((await cli(stateDir, ['enroll', '--server', server.url, '--token', 'wrong-token-0000000'])).stderr).toMatch(/unauthenticated/);
    const ok = await cli(stateDir, ['enroll', '--server', server.url, '--token', 'enroll-token-0123456789', '--name', 'kiosk-7']);
    expect(ok.code).toBe(0);
    const identity = JSON.parse(readFileSync(join(stateDir, 'identity.json'), 'utf8'));
    expect(server.devices.has(identity.deviceId)).toBe(true);
    expect(identity).toMatchObject({ server: server.url, serverPublicKey: server.publicKeyDer, serverKeyId: server.keyId });
    expect(identity.privateKey).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    expect(statSync(join(stateDir, 'identity.json')).mode & 0o777).toBe(0o600);
    expect(statSync(stateDir).mode & 0o777).toBe(0o700);
    expect((await cli(stateDir, ['enroll', '--server', server.url, '--token', 'enroll-token-0123456789'])).stderr).toMatch(/already enrolled/);
    expect((await cli(stateDir, ['enroll', '--server', 'ftp://x', '--token', 'enroll-token-0123456789', '--force'])).stderr).toMatch(/http\(s\)/);
    expect((await cli(stateDir, ['bogus'])).code).toBe(2);
  });

  it('enrolls over plain http only with this machine, unless --insecure-http is given', async () => {
    const stateDir = join(tempDir(), 'state');
    // 0.0.0.0 reaches this machine on Linux, but is not a loopback address: it stands for a server elsewhere.
    const remote = server.url.replace('127.0.0.1', '0.0.0.0');
    const before = server.devices.size;
    const refused = await cli(stateDir, ['enroll', '--server', remote, '--token', 'enroll-token-0123456789']);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/refusing to enroll over plain http with 0\.0\.0\.0:\d+.*--insecure-http/s);
    // refused before anything was sent: the token never left the machine
    expect(existsSync(join(stateDir, 'identity.json'))).toBe(false);
    expect(server.devices.size).toBe(before);
    const allowed = await cli(stateDir, ['enroll', '--server', remote, '--token', 'enroll-token-0123456789', '--insecure-http']);
    expect(allowed.code).toBe(0);
    expect(JSON.parse(readFileSync(join(stateDir, 'identity.json'), 'utf8')).server).toBe(remote);
    expect((await cli(stateDir, ['--help'])).stdout).toContain('--insecure-http');
  });

  it('names the URL and the cause when enrollment cannot reach the server or is answered with an error', async () => {
    const stateDir = join(tempDir(), 'state');
    const closed = await closedPort();
    const refused = await cli(stateDir, ['enroll', '--server', `http://127.0.0.1:${closed}`, '--token', 'enroll-token-0123456789']);
    expect(refused.code).toBe(1);
    expect(refused.stderr.trim()).toBe(`fixpoint-agent: cannot enroll with http://127.0.0.1:${closed}/api/v1/enroll: connection refused (nothing listens on that port) (ECONNREFUSED)`);
    const notFixpoint = createServer((_req, res) => res.writeHead(404, { 'content-type': 'text/html' }).end('<h1>Not here</h1>'));
    await new Promise<void>((resolve) => notFixpoint.listen(0, '127.0.0.1', resolve));
    try {
      const port = (notFixpoint.address() as AddressInfo).port;
      const missing = await cli(stateDir, ['enroll', '--server', `http://127.0.0.1:${port}/fixpoint`, '--token', 'enroll-token-0123456789']);
      expect(missing.code).toBe(1);
      expect(missing.stderr).toContain(`enrollment with http://127.0.0.1:${port}/fixpoint/api/v1/enroll failed: HTTP 404 Not Found`);
    } finally {
      notFixpoint.close();
    }
    expect(existsSync(join(stateDir, 'identity.json'))).toBe(false);
  });

  it('survives kill -9 mid-script: reports agent_restarted, kills the orphaned child, never re-runs', async () => {
    const stateDir = join(tempDir(), 'state');
    expect((await cli(stateDir, ['enroll', '--server', server.url, '--token', 'enroll-token-0123456789'])).code).toBe(0);
    const { deviceId } = JSON.parse(readFileSync(join(stateDir, 'identity.json'), 'utf8'));
    const dir = tempDir();
    const first = startDaemon(stateDir);
    await waitUntil(() => server.devices.get(deviceId)?.pulled, 15_000, 'agent connected');
    const e = server.launch(deviceId, { script: `echo run >> ${dir}/runs; dirname "$FIXPOINT_OUTPUT_FILE" > ${dir}/ws; sleep 300 & echo $! > ${dir}/child.pid; wait` });
    const id = e.payload.executionId;
    await waitUntil(() => existsSync(join(dir, 'child.pid')) && readFileSync(join(dir, 'child.pid'), 'utf8').trim(), 10_000, 'child started');
    const child = Number(readFileSync(join(dir, 'child.pid'), 'utf8'));
    first.kill('SIGKILL');
    await exited(first);
    expect(isProcessAlive(child)).toBe(true); // the orphan is really there

    const second = startDaemon(stateDir);
    const result = await server.waitFor('result', id, 15_000);
    expect(result).toMatchObject({ status: 'failed', reason: 'agent_restarted', exitCode: null });
    // killed by the restarted agent; a zombie waiting for PID 1 to reap it counts as gone (a busy machine reaps late)
    await waitUntil(() => !isProcessAlive(child) || zombie(child), 15_000, 'orphan killed');
    const workspace = readFileSync(join(dir, 'ws'), 'utf8').trim();
    expect(workspace).toMatch(/fixpoint-run-/);
    expect(existsSync(workspace)).toBe(false); // it held the parameters; a crash must not leave it behind

    server.send(deviceId, { type: 'execute', envelope: e });
    await waitUntil(() => server.messages('refused', id)[0] ?? server.messages('result', id)[1], 5000, 'answer to the duplicate');
    expect(readFileSync(join(dir, 'runs'), 'utf8')).toBe('run\n');

    // The bundle carries the script helpers inline.
    const withOutput = server.launch(deviceId, { script: 'fixpoint output n 5', outputs: [{ name: 'n', type: 'int', description: '' }] });
    expect((await server.waitFor('result', withOutput.payload.executionId)).outputs).toEqual({ n: 5 });

    const status = JSON.parse((await cli(stateDir, ['status', '--json'])).stdout);
    expect(status).toMatchObject({ enrolled: true, deviceId, running: true, connection: 'connected' });
    expect(status.executions[1]).toMatchObject({ id, status: 'failed' });

    second.kill('SIGTERM');
    expect(await exited(second)).toBe(0);
    expect(JSON.parse((await cli(stateDir, ['status', '--json'])).stdout)).toMatchObject({ running: false, connection: 'not running' });
  });

  it('refuses to start without an enrollment, or next to a running agent', async () => {
    const empty = join(tempDir(), 'state');
    const lonely = startDaemon(empty);
    expect(await exited(lonely)).toBe(1);

    const stateDir = join(tempDir(), 'state');
    await cli(stateDir, ['enroll', '--server', server.url, '--token', 'enroll-token-0123456789']);
    const { deviceId } = JSON.parse(readFileSync(join(stateDir, 'identity.json'), 'utf8'));
    startDaemon(stateDir);
    await waitUntil(() => server.devices.get(deviceId)?.pulled, 15_000, 'agent connected');
    const twin = startDaemon(stateDir);
    expect(await exited(twin)).toBe(1);
  });
});

/** Whether a process has exited and only waits to be reaped (state Z in /proc). */
function zombie(pid: number): boolean {
  try {
    return /^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true;
  }
}
