import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import type { OutputDecl } from '@fixpoint/protocol';
import { FakeServer, type LaunchSpec } from '../testing/fake-server';
import { tempDir } from '../testing/helpers';
import { posixPlatform } from './platform-posix';
import { isProcessAlive, spawnInGroup } from './posix-process';
import { startRun } from './runner';
import { removeOrphanedWorkspaces, runBaseDir } from './workspace';

const server = new FakeServer();
const device = '11111111-2222-4333-8444-555555555555';
const run = (spec: LaunchSpec, killGraceMs = 5000) => startRun(server.envelope(device, spec), { platform: posixPlatform, killGraceMs });
const out = (name: string, type: OutputDecl['type']): OutputDecl => ({ name, type, description: '' });

describe('runner (real sh processes)', () => {
  it('passes parameters as env vars and a 0600 JSON file, never through the script text', async () => {
    const marker = join(tempDir(), 'pwned');
    const hostile = `$(touch ${marker}); "quoted" \`id\` ;rm -rf /`;
    const r = await run({
      script: 'printf "%s\\n" "$FIXPOINT_PARAM_TARGET" "$FIXPOINT_PARAM_COUNT"; stat -c %a "$FIXPOINT_PARAMS_FILE"; cat "$FIXPOINT_PARAMS_FILE"',
      parameters: { target: hostile, count: 3 },
    }).result;
    expect(r.status).toBe('succeeded');
    const lines = r.stdoutTail.split('\n');
    expect(lines[0]).toBe(hostile);
    expect(lines[1]).toBe('3');
    expect(lines[2]).toBe('600');
    expect(JSON.parse(lines[3]!)).toEqual({ target: hostile, count: 3 });
    expect(existsSync(marker)).toBe(false);
  });

  it('collects typed outputs from the helper command and from the JSON-lines file', async () => {
    const r = await run({
      script: [
        'fixpoint output count 42',
        'fixpoint output --json tags \'["a","b c"]\'',
        'fixpoint output msg "$(printf \'two\\nlines "q" \\\\ é\')"',
        'echo \'{"name":"ok","value":true}\' >> "$FIXPOINT_OUTPUT_FILE"',
        '. "$FIXPOINT_SH" && fixpoint_output ratio 0.25',
      ].join('\n'),
      outputs: [out('count', 'int'), out('tags', 'string-list'), out('msg', 'string'), out('ok', 'bool'), out('ratio', 'ratio')],
    }).result;
    expect(r.error).toBeNull();
    expect(r.status).toBe('succeeded');
    expect(r.outputs).toEqual({ count: 42, tags: ['a', 'b c'], msg: 'two\nlines "q" \\ é', ok: true, ratio: 0.25 });
  });

  it('fails the run on a mistyped or undeclared output, naming it', async () => {
    const r = await run({
      script: 'fixpoint output count lots\nfixpoint output secret_thing 1\nfixpoint output fine yes',
      outputs: [out('count', 'int'), out('fine', 'bool')],
    }).result;
    expect(r.status).toBe('failed');
    expect(r.reason).toBe('output_rejected');
    expect(r.exitCode).toBe(0);
    expect(r.error).toContain('output count (int)');
    expect(r.error).toContain('output secret_thing is not declared');
    expect(r.outputs).toEqual({ fine: true });
  });

  it('reports a non-zero exit as failed with the stderr tail as error', async () => {
    const r = await run({ script: 'echo working; echo "disk not found" >&2; exit 3' }).result;
    expect(r).toMatchObject({ status: 'failed', exitCode: 3, error: 'disk not found', stdoutTail: 'working\n' });
  });

  it('keeps only the last outputCapBytes of huge output and flags truncation', async () => {
    const r = await run({
      script: 'i=0; while [ $i -lt 20000 ]; do echo "line $i ................................"; i=$((i+1)); done; echo LAST >&2',
      outputCapBytes: 1024,
    }).result;
    expect(r.status).toBe('succeeded');
    expect(Buffer.byteLength(r.stdoutTail)).toBeLessThanOrEqual(1024);
    expect(r.stdoutTail.trimEnd().endsWith('line 19999 ................................')).toBe(true);
    expect(r.truncated).toBe(true);
    expect(r.stderrTail).toBe('LAST\n');
  });

  it('redacts secret parameter values from both tails and the error', async () => {
    const secret = 'hunter2-$ecret';
    const r = await run({
      script: 'echo "token=$FIXPOINT_PARAM_TOKEN"; echo "bad token $FIXPOINT_PARAM_TOKEN" >&2; exit 1',
      parameters: { token: secret, user: 'ana' },
      secretParameters: ['token'],
    }).result;
    expect(r.stdoutTail).toBe('token=***\n');
    expect(r.stderrTail).toBe('bad token ***\n');
    expect(r.error).toBe('bad token ***');
    expect(JSON.stringify(r)).not.toContain(secret);
  });

  it('redacts a secret that straddles the start of a truncated tail', async () => {
    const secret = 'S'.repeat(30) + 'TAIL';
    const r = await run({
      script: 'printf "%s" "$FIXPOINT_PARAM_TOKEN"; head -c 1010 /dev/zero | tr "\\0" x',
      parameters: { token: secret },
      secretParameters: ['token'],
      outputCapBytes: 1024,
    }).result;
    expect(r.stdoutTail).not.toContain('TAIL');
    expect(r.stdoutTail.startsWith('***') || !r.stdoutTail.includes('S')).toBe(true);
  });

  it('kills the whole process tree on timeout, including children that ignore SIGTERM', async () => {
    const dir = tempDir();
    const started = Date.now();
    const r = await run(
      {
        script: `sleep 300 & echo $! > ${dir}/child.pid
sh -c 'trap "" TERM; echo $$ > ${dir}/stubborn.pid; while :; do sleep 1; done' &
sleep 300`,
        timeoutSec: 1,
      },
      500,
    ).result;
    expect(r.status).toBe('timed_out');
    expect(r.reason).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(8000);
    const child = Number(readFileSync(join(dir, 'child.pid'), 'utf8'));
    const stubborn = Number(readFileSync(join(dir, 'stubborn.pid'), 'utf8'));
    expect(child).toBeGreaterThan(1);
    expect(isProcessAlive(child)).toBe(false);
    expect(isProcessAlive(stubborn)).toBe(false);
  });

  it('cancels a running script and its children', async () => {
    const dir = tempDir();
    const handle = run({ script: `sleep 300 & echo $! > ${dir}/child.pid; wait` });
    await new Promise((r) => setTimeout(r, 300));
    handle.cancel();
    const r = await handle.result;
    expect(r.status).toBe('canceled');
    expect(isProcessAlive(Number(readFileSync(join(dir, 'child.pid'), 'utf8')))).toBe(false);
  });

  it('kills background children left behind when the script exits on its own', async () => {
    const dir = tempDir();
    const r = await run({ script: `sleep 300 > /dev/null 2>&1 & echo $! > ${dir}/bg.pid; exit 0` }).result;
    expect(r.status).toBe('succeeded');
    await new Promise((r) => setTimeout(r, 100));
    expect(isProcessAlive(Number(readFileSync(join(dir, 'bg.pid'), 'utf8')))).toBe(false);
  });

  it('lets a finished process and its pipes be freed as soon as it is done', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    // nothing of the agent may hold the child once its pipes closed (a timer did, for two seconds, at every run)
    const spawnOne = async () => {
      const proc = spawnInGroup({ command: 'sh', args: ['-c', 'echo done'], env: { PATH: process.env.PATH ?? '' }, cwd: tempDir(), user: null });
      const pipe = new WeakRef(proc.stdout!);
      expect((await proc.exited).code).toBe(0);
      return pipe;
    };
    const pipe = await spawnOne();
    await new Promise((r) => setTimeout(r, 50));
    gc();
    expect(pipe.deref()).toBeUndefined();
  });

  it('runs in a private 0700 directory that is deleted after the result', async () => {
    const handle = run({ script: 'dirname "$FIXPOINT_OUTPUT_FILE"; stat -c %a "$(dirname "$FIXPOINT_OUTPUT_FILE")"; echo "$FIXPOINT_BIN"' });
    const r = await handle.result;
    const [dir, mode, bin] = r.stdoutTail.trim().split('\n');
    expect(mode).toBe('700');
    expect(dirname(bin!)).toBe(dirname(dir!));
    await handle.cleanedUp;
    expect(existsSync(dir!)).toBe(false);
  });

  it('shares one helper directory between runs, readable by all and writable by the agent only', async () => {
    const script = 'echo "$FIXPOINT_BIN"; echo "$FIXPOINT_PARAMS_FILE"; cat "$FIXPOINT_PARAMS_FILE"; echo; stat -c "%a %u" "$FIXPOINT_BIN" "$FIXPOINT_BIN"/*';
    const [a, b] = await Promise.all([run({ script }).result, run({ script }).result]);
    expect(a.stdoutTail).toBe(b.stdoutTail);
    const [bin, params, paramsText, ...modes] = a.stdoutTail.trim().split('\n');
    expect(bin).toMatch(new RegExp(`/fixpoint-helpers-${process.pid}-`));
    expect(params).toBe(join(bin!, 'no-parameters.json'));
    expect(paramsText).toBe('{}');
    const uid = String(process.getuid!());
    expect(modes.sort()).toEqual([`644 ${uid}`, `644 ${uid}`, `644 ${uid}`, `755 ${uid}`, `755 ${uid}`]);
  });

  it('never uses a directory someone else made where the helper directory was', async () => {
    const script = 'echo "$FIXPOINT_BIN"';
    const bin = (await run({ script }).result).stdoutTail.trim();
    // a temp cleaner took it, and another account made one of that name, with a `fixpoint` of its own
    renameSync(bin, `${bin}.cleaned`);
    mkdirSync(bin, { mode: 0o755 });
    for (const name of ['fixpoint', 'fixpoint.sh', 'fixpoint-campaign.mjs', 'no-parameters.json']) writeFileSync(join(bin, name), 'exit 99\n', { mode: 0o755 });
    if (process.getuid?.() === 0) execFileSync('chown', ['-R', '54321:54321', bin]);
    try {
      const r = await run({ script: `${script}; fixpoint output note hi`, outputs: [{ name: 'note', type: 'string', description: '' }] }).result;
      const [next] = r.stdoutTail.trim().split('\n');
      expect(next).not.toBe(bin);
      expect(r).toMatchObject({ status: 'succeeded', outputs: { note: 'hi' } });
      expect(readdirSync(bin).sort()).toEqual(['fixpoint', 'fixpoint-campaign.mjs', 'fixpoint.sh', 'no-parameters.json']);
    } finally {
      for (const dir of [bin, `${bin}.cleaned`]) rmSync(dir, { recursive: true, force: true });
    }
  });

  it('deletes run and helper directories of agent processes that are gone, and nothing else', async () => {
    const dead = 2 ** 22 + 1; // above Linux's pid_max: never a live process
    const base = runBaseDir();
    const orphans = [`fixpoint-run-${dead}-aaaaaa`, `fixpoint-helpers-${dead}-bbbbbb`].map((n) => join(base, n));
    const kept = [`fixpoint-run-${process.pid}-cccccc`, `fixpoint-runner-${dead}-dddddd`].map((n) => join(base, n));
    for (const dir of [...orphans, ...kept]) mkdirSync(join(dir, 'bin'), { recursive: true });
    try {
      // (another test process starting an agent may delete the orphans first; either way they are gone)
      await removeOrphanedWorkspaces(isProcessAlive);
      for (const dir of orphans) expect(existsSync(dir)).toBe(false);
      for (const dir of kept) expect(existsSync(dir)).toBe(true);
    } finally {
      for (const dir of kept) rmSync(dir, { recursive: true, force: true });
    }
  });

  it('runs bash scripts with bash', async () => {
    const r = await run({ shell: 'bash', script: 'echo "${BASH_VERSION:+bash}"' }).result;
    expect(r.stdoutTail).toBe('bash\n');
  });

  it('reports a parameter holding NUL as a failure instead of crashing', async () => {
    const r = await run({ script: 'true', parameters: { bad: 'a\0b' } }).result;
    expect(r).toMatchObject({ status: 'failed', reason: 'spawn_failed' });
    expect(r.error).toContain('bad');
  });
});
