import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeServer, type LaunchSpec } from '../testing/fake-server';
import { tempDir } from '../testing/helpers';
import { lookupUser } from './console-user';
import { posixPlatform } from './platform-posix';
import { isProcessAlive } from './posix-process';
import { startRun } from './runner';

const server = new FakeServer();
const device = '11111111-2222-4333-8444-555555555555';
/** The result, once the run directory is deleted as well. */
const run = async (spec: LaunchSpec) => {
  const handle = startRun(server.envelope(device, { runAs: 'user', ...spec }), { platform: posixPlatform, killGraceMs: 500 });
  const result = await handle.result;
  await handle.cleanedUp;
  return result;
};
const isRoot = process.getuid?.() === 0 && process.platform === 'linux';
const userName = `fxt${process.pid}`;

describe.skipIf(!isRoot)('runAs: user (with a real local account)', () => {
  const previous = process.env.FIXPOINT_AGENT_CONSOLE_USER;

  beforeAll(() => {
    execFileSync('useradd', ['-M', '-s', '/bin/sh', '-c', 'fixpoint test user', userName]);
    process.env.FIXPOINT_AGENT_CONSOLE_USER = userName;
  });

  afterAll(() => {
    if (previous === undefined) delete process.env.FIXPOINT_AGENT_CONSOLE_USER;
    else process.env.FIXPOINT_AGENT_CONSOLE_USER = previous;
    execFileSync('userdel', [userName]);
  });

  it('runs as the console user with their identity and a login-like environment', async () => {
    const account = (await lookupUser(userName))!;
    const r = await run({
      script: [
        'id -un; id -u; id -g',
        'echo "$HOME|$USER|$LOGNAME|$SHELL"',
        'stat -c %U "$FIXPOINT_PARAMS_FILE" "$FIXPOINT_OUTPUT_FILE"',
        'echo "$FIXPOINT_PARAM_GREETING"',
        'env | grep -c "^FIXPOINT_AGENT_" || true',
        'fixpoint output who "$(id -un)"',
        'dirname "$FIXPOINT_OUTPUT_FILE"',
      ].join('\n'),
      parameters: { greeting: 'hi there' },
      outputs: [{ name: 'who', type: 'string', description: '' }],
    });
    expect(r.error).toBeNull();
    expect(r.status).toBe('succeeded');
    const lines = r.stdoutTail.trim().split('\n');
    expect(lines.slice(0, 3)).toEqual([userName, String(account.uid), String(account.gid)]);
    expect(lines[3]).toBe(`${account.home}|${userName}|${userName}|/bin/sh`);
    expect(lines.slice(4, 6)).toEqual([userName, userName]);
    expect(lines[6]).toBe('hi there');
    expect(lines[7]).toBe('0');
    expect(r.outputs).toEqual({ who: userName });
    expect(existsSync(lines[8]!)).toBe(false);
  });

  it('cannot read root-only files, and kills the user tree on timeout', async () => {
    const dir = tempDir();
    execFileSync('chmod', ['0777', dir]);
    const r = await run({
      script: `cat /etc/shadow 2>/dev/null && echo LEAK; sleep 300 & echo $! > ${dir}/child.pid; sleep 300`,
      timeoutSec: 1,
    });
    expect(r.status).toBe('timed_out');
    expect(r.stdoutTail).not.toContain('LEAK');
    const child = Number(readFileSync(join(dir, 'child.pid'), 'utf8'));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(isProcessAlive(child)).toBe(false);
  });

  it('fails with no_interactive_user when nobody is at the console, without running anything', async () => {
    const marker = join(tempDir(), 'ran');
    for (const who of ['', 'no-such-user-here']) {
      process.env.FIXPOINT_AGENT_CONSOLE_USER = who;
      // whenNoUser wait (absent) or skip: the neutral no-user exit code; fail: no exit code, a plain failure
      for (const [whenNoUser, exitCode] of [[undefined, 14], ['skip', 14], ['fail', null]] as const) {
        const r = await run({ script: `touch ${marker}`, ...(whenNoUser && { whenNoUser }) });
        expect(r).toMatchObject({ status: 'failed', reason: 'no_interactive_user', exitCode });
      }
      expect(existsSync(marker)).toBe(false);
    }
    process.env.FIXPOINT_AGENT_CONSOLE_USER = userName;
  });
});
