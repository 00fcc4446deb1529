/**
 * `whenNoUser` with the bundled agent as a real process (root, Linux: runs as a real local account). Who is at the
 * console comes from `FIXPOINT_AGENT_CONSOLE_USER_FILE`, which the test writes to log the user in or out.
 */
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAgentBundle } from '../../../backend/src/testing/agent-process';
import { FakeServer, waitUntil, type LaunchSpec } from '../testing/fake-server';
import { tempDir } from '../testing/helpers';

const isRoot = process.getuid?.() === 0 && process.platform === 'linux';
const userName = `fxw${process.pid % 100_000}`;

describe.skipIf(!isRoot)('whenNoUser (a real agent process and a real local account)', () => {
  const server = new FakeServer();
  const work = tempDir();
  let bundle: string; // this run's agent bundle (`bundles.ts`)
  const consoleFile = join(work, 'console-user');
  const stateDir = join(work, 'state');
  let daemon: ChildProcess;
  let deviceId = '';
  const logIn = (name: string) => writeFileSync(consoleFile, name);

  beforeAll(async () => {
    execFileSync('useradd', ['-M', '-s', '/bin/sh', '-c', 'fixpoint test user', userName]);
    bundle = buildAgentBundle();
    await server.start();
    const env: NodeJS.ProcessEnv = { ...process.env, FIXPOINT_AGENT_STATE_DIR: stateDir, FIXPOINT_AGENT_CONSOLE_USER_FILE: consoleFile, FIXPOINT_AGENT_USER_POLL_MS: '300' };
    delete env.FIXPOINT_AGENT_CONSOLE_USER;
    await new Promise<void>((resolve, reject) =>
      execFile(process.execPath, [bundle, 'enroll', '--server', server.url, '--token', 'enroll-token-0123456789'], { env }, (err) => (err ? reject(err) : resolve())),
    );
    deviceId = JSON.parse(readFileSync(join(stateDir, 'identity.json'), 'utf8')).deviceId;
    logIn('');
    daemon = spawn(process.execPath, [bundle, 'run'], { env: { ...env, FIXPOINT_AGENT_LOG_LEVEL: 'warn' }, stdio: ['ignore', 'ignore', 'inherit'] });
    await waitUntil(() => server.devices.get(deviceId)?.pulled, 15_000, 'agent connected');
  }, 90_000);

  afterAll(async () => {
    daemon?.kill('SIGKILL');
    await server.stop();
    execFileSync('userdel', [userName]);
  });

  /** A user run that leaves a marker file, so the test sees whether it ran. */
  const launch = (spec: Partial<LaunchSpec> = {}) => {
    const dir = tempDir();
    chmodSync(dir, 0o777);
    const marker = join(dir, 'ran');
    const e = server.launch(deviceId, { script: `id -un > ${marker}`, runAs: 'user', ...spec });
    return { id: e.payload.executionId, marker };
  };

  it('skip ends at once as the neutral no-user outcome (exit code 14), fail as a failure; neither runs', async () => {
    const skipped = launch({ whenNoUser: 'skip' });
    const failed = launch({ whenNoUser: 'fail' });
    expect(await server.waitFor('result', skipped.id)).toMatchObject({ status: 'failed', reason: 'no_interactive_user', exitCode: 14 });
    expect(await server.waitFor('result', failed.id)).toMatchObject({ status: 'failed', reason: 'no_interactive_user', exitCode: null });
    expect(existsSync(skipped.marker) || existsSync(failed.marker)).toBe(false);
  });

  it('wait (the default) holds the run, delivered, until the user logs in, then runs it as them', async () => {
    const held = launch();
    await server.waitFor('status', held.id);
    // a system run is not held up behind it
    const system = launch({ runAs: 'system', script: 'true' });
    expect(await server.waitFor('result', system.id)).toMatchObject({ status: 'succeeded' });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(server.messages('result', held.id)).toEqual([]);
    expect(server.messages('status', held.id).map((m) => m.status)).toEqual(['delivered']);
    logIn(userName);
    expect(await server.waitFor('result', held.id, 15_000)).toMatchObject({ status: 'succeeded', exitCode: 0 });
    expect(readFileSync(held.marker, 'utf8').trim()).toBe(userName);
    logIn('');
  });

  it('wait ends just before the expiry as the neutral no-user outcome when nobody logged in', async () => {
    // the hold ends 5 s before the expiry, so the result reaches the backend before its expiry sweep
    const held = launch({ expiresInSec: 8 });
    const started = Date.now();
    const result = await server.waitFor('result', held.id, 15_000);
    expect(Date.now() - started).toBeGreaterThan(2000);
    expect(result).toMatchObject({ status: 'failed', reason: 'no_interactive_user', exitCode: 14 });
    expect(result.error).toMatch(/before the run's expiry/);
    expect(existsSync(held.marker)).toBe(false);
  });

  it('a run held for a user can be canceled', async () => {
    const held = launch();
    await server.waitFor('status', held.id);
    server.send(deviceId, { type: 'cancel', executionId: held.id });
    expect(await server.waitFor('result', held.id)).toMatchObject({ status: 'canceled' });
  });
});
