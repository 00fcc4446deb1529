/**
 * The shipped action files: each parses with the wire schema, imports into a real backend through the import route,
 * and its scripts pass the static checks for the platforms this machine cannot run.
 */
import { execFile, spawnSync } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve, type ServerType } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ActionFile } from '@fixpoint/protocol';
import { createTestBackend, type TestBackend } from '../../backend/src/testing/harness';
import { checkPosixSh, checkPowerShell, checkZsh, fixpointPsFunctions, maskPowerShell, outputsWritten, parametersRead } from './script-checks';
import { loadLibrary } from './testing';

const library = loadLibrary();
/** A migrated database takes a few seconds, more on a busy machine. */
const backendTimeout = 60_000;
const has = (tool: string) => spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0;
const scratch = mkdtempSync(join(tmpdir(), 'fixpoint-library-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Runs `shell -n` on a script file: a syntax check that executes nothing. */
function syntaxCheck(shell: string[], source: string): string {
  const file = join(scratch, `check-${Math.random().toString(36).slice(2)}`);
  writeFileSync(file, source);
  const r = spawnSync(shell[0]!, [...shell.slice(1), '-n', file], { encoding: 'utf8' });
  return r.status === 0 ? '' : `${shell.join(' ')} -n: ${r.stderr}`;
}

describe('the library', () => {
  it('ships at least 12 actions, one file per slug, each parsing with ActionFile', () => {
    expect(library.length).toBeGreaterThanOrEqual(12);
    for (const { file, text, action } of library) {
      expect(file).toBe(`${action.slug}.action.yaml`);
      expect(ActionFile.safeParse(parse(text)).success).toBe(true);
    }
  });

  it.each(library.map((e) => [e.action.slug, e.action] as const))('%s is documented, typed and has sane limits', (_slug, action) => {
    expect(action.description.length).toBeGreaterThan(80);
    for (const p of action.parameters) expect(p.description, `parameter ${p.name}`).not.toBe('');
    for (const o of action.outputs) expect(o.description, `output ${o.name}`).not.toBe('');
    expect(action.outputs.length).toBeGreaterThan(0);
    // a consent wait lasts until its deadline, hours ahead: restart-with-consent alone may wait up to a day
    expect(action.timeoutSec).toBeLessThanOrEqual(action.slug === 'restart-with-consent' ? 86400 : 900);
    expect(action.scripts.linux && action.scripts.macos && action.scripts.windows).toBeTruthy();
    // A remediation may change things, so it never runs on a schedule; data collection never needs a detection trigger.
    if (action.purpose === 'remediation') expect(action.triggers).not.toContain('schedule');
    else expect(action.triggers).not.toContain('detection');
  });

  it('never deletes by default: clear-temp-files is a dry run unless told otherwise', () => {
    const clear = library.find((e) => e.action.slug === 'clear-temp-files')!.action;
    expect(clear.parameters.find((p) => p.name === 'dry_run')).toMatchObject({ type: 'bool', default: true });
  });

  it('lets collect-logs read only the listed logs', () => {
    const logs = library.find((e) => e.action.slug === 'collect-logs')!.action;
    expect(logs.parameters.find((p) => p.name === 'log')).toMatchObject({ type: 'enum', allowCustomValues: false });
  });
});

describe('every script of every platform', () => {
  const scripts = library.flatMap(({ action }) =>
    (['linux', 'macos', 'windows'] as const).flatMap((platform) => {
      const script = action.scripts[platform];
      return script ? [[`${action.slug} (${platform})`, action, platform, script.source] as const] : [];
    }),
  );

  it.each(scripts)('%s reads exactly its declared parameters from the environment and writes only declared outputs', (_name, action, _platform, source) => {
    expect(parametersRead(source)).toEqual(new Set(action.parameters.map((p) => p.name.toUpperCase())));
    const declared = new Set(action.outputs.map((o) => o.name));
    expect(outputsWritten(source)).toEqual(declared);
    // No templating of any kind: values reach scripts only through the environment.
    expect(source).not.toMatch(/\{\{|\$\{\{|%FIXPOINT/);
  });

  const windows = scripts.filter(([, , platform]) => platform === 'windows');
  it.each(windows)('%s is Windows PowerShell 5.1 code with balanced brackets', (_name, _action, _platform, source) => {
    expect(checkPowerShell(source)).toEqual([]);
    expect(source).toMatch(/Set-FixpointOutput/);
  });

  // Syntax checks by a shell that is not installed are skipped and say so; another shell would check something else.
  const macos = scripts.filter(([, , platform]) => platform === 'macos');
  it.each(macos)('%s is zsh code without zsh special parameters', (_name, action, _platform, source) => {
    expect(action.scripts.macos!.shell).toBe('zsh');
    expect(checkZsh(source)).toEqual([]);
  });
  it.for(macos)('%s passes zsh -n', ([, , , source], { skip }) => {
    skip(!has('zsh'), 'zsh is not installed');
    expect(syntaxCheck(['zsh'], source)).toBe('');
  });

  const linux = scripts.filter(([, , platform]) => platform === 'linux');
  it.each(linux)('%s is POSIX sh (dash -n, no bashisms)', (_name, action, _platform, source) => {
    expect(action.scripts.linux!.shell).toBe('sh');
    expect(syntaxCheck(['dash'], source)).toBe('');
    expect(checkPosixSh(source)).toEqual([]);
  });
  it.for(linux)('%s passes busybox sh -n', ([, , , source], { skip }) => {
    skip(!has('busybox'), 'busybox is not installed');
    expect(syntaxCheck(['busybox', 'sh'], source)).toBe('');
  });
});

describe('the static checks themselves', () => {
  it('find unbalanced brackets outside strings, and ignore brackets in strings and comments', () => {
    expect(checkPowerShell("if ($a) { 'x {'\n# }\n\"$(Get-Date) (\" }")).toEqual([]);
    expect(checkPowerShell('if ($a) { $b = @(1, 2 }')).not.toEqual([]);
    expect(checkPowerShell('function F { ')).toEqual(['line 1: { is never closed']);
  });

  it('flag PowerShell 7 syntax, clobbered automatic variables and parameters not read from $env:', () => {
    expect(checkPowerShell('$a = $b ?? 1').join()).toMatch(/null-coalescing/);
    expect(checkPowerShell('Get-Thing && Get-Other').join()).toMatch(/chain/);
    expect(checkPowerShell('$host = 1').join()).toMatch(/automatic/);
    expect(checkPowerShell('foreach ($event in $all) { }').join()).toMatch(/automatic/);
    expect(checkPowerShell('$x = [Environment]::GetEnvironmentVariable("FIXPOINT_PARAM_X")').join()).toMatch(/some other way/);
    expect(checkPowerShell('param($Path)\n$Path').join()).toMatch(/param\(\) block/);
    expect(checkPowerShell('Write-FixpointOutput -Name x').join()).toMatch(/not exported/);
    expect(maskPowerShell("'a ''b'' c' # d")).toBe("'         '    ");
    expect(fixpointPsFunctions).toEqual(expect.arrayContaining(['Set-FixpointOutput', 'fixpoint']));
  });

  it('flag bashisms and zsh special parameters', () => {
    expect(checkPosixSh('if [[ -n "$x" ]]; then :; fi')).not.toEqual([]);
    expect(checkPosixSh('x=$(cat <<< "$y")')).not.toEqual([]);
    expect(checkPosixSh('# [[ in a comment is fine\n[ -n "$x" ] && echo "$x"')).toEqual([]);
    expect(checkZsh('path="$1"')).not.toEqual([]);
    expect(checkZsh('path_to_check="$1"')).toEqual([]);
  });
});

describe('importing into a real backend', () => {
  let t: TestBackend;
  let headers: Record<string, string>;
  beforeAll(async () => {
    t = await createTestBackend();
    headers = { ...(await t.as('author')), 'content-type': 'application/yaml' };
  }, backendTimeout);
  afterAll(() => t?.close());

  it('imports every file through POST /api/v1/actions/import as YAML, then finds nothing to change', async () => {
    for (const { text, action } of library) {
      const created = await t.call('POST', '/api/v1/actions/import', { headers, body: text });
      expect(created.status, JSON.stringify(created.body)).toBe(200);
      expect(created.body).toMatchObject({ outcome: 'created', action: { slug: action.slug, latestVersion: 1 } });
      expect(new Set(created.body.action.platforms)).toEqual(new Set(['linux', 'macos', 'windows']));
      expect(created.body.action.current.parameters).toEqual(action.parameters);
      expect(created.body.action.current.outputs).toEqual(action.outputs);
    }
    for (const { text } of library) {
      const again = await t.call('POST', '/api/v1/actions/import', { headers, body: text });
      expect(again.body.outcome).toBe('unchanged');
    }
    const listed = await t.call('GET', '/api/v1/actions?limit=100', { headers: await t.as('author') });
    expect(listed.body.items.map((a: { slug: string }) => a.slug).sort()).toEqual(library.map((e) => e.action.slug).sort());
  });

  it('refuses the import to a role that cannot edit actions', async () => {
    const r = await t.call('POST', '/api/v1/actions/import', {
      headers: { ...(await t.as('support')), 'content-type': 'application/yaml' },
      body: library[0]!.text,
    });
    expect(r.status).toBe(403);
  });
});

describe('npm run library:import', () => {
  let t: TestBackend;
  let server: ServerType;
  let url = '';
  beforeAll(async () => {
    t = await createTestBackend();
    server = await new Promise<ServerType>((resolve) => {
      const s = serve({ fetch: t.app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
    });
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }, backendTimeout);
  afterAll(async () => {
    if (server) await new Promise((resolve) => server.close(resolve));
    await t?.close();
  });

  /** Runs scripts/import-library.mjs as a user would (the server answers from this process, so no spawnSync). */
  const importLibrary = (args: string[], env: Record<string, string> = {}) =>
    new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      const script = new URL('../../scripts/import-library.mjs', import.meta.url).pathname;
      execFile(process.execPath, [script, ...args], { env: { ...process.env, ...env } }, (err, stdout, stderr) =>
        resolve({ code: err ? Number(err.code) : 0, stdout, stderr }),
      );
    });
  const tokenOf = (headers: Record<string, string>) => headers.authorization!.replace(/^Bearer /, '');

  it('imports the whole library over HTTP with a token, and changes nothing the second time', async () => {
    const token = tokenOf(await t.as('author'));
    const first = await importLibrary(['--server', url, '--token', token]);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain(`${library.length} actions: ${library.length} created, 0 updated, 0 unchanged, 0 failed`);
    expect(first.stdout).toMatch(/^created\s+disk-usage \(version 1\)$/m);
    const second = await importLibrary(['--server', `${url}/`, '--only', 'disk-usage,uptime-and-last-boot'], { FIXPOINT_TOKEN: token });
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('2 actions: 0 created, 0 updated, 2 unchanged, 0 failed');
  });

  it('stops with the server\'s answer on a token that may not edit actions, and with usage on bad arguments', async () => {
    const denied = await importLibrary(['--server', url, '--token', tokenOf(await t.as('viewer'))]);
    expect(denied.code).toBe(1);
    expect(denied.stderr).toMatch(/^403 forbidden: /);
    const bad = await importLibrary(['--server', url, '--token', 'fxp_pat_not-a-real-token']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^401 /);
    const usage = await importLibrary(['--token', 'x']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('--server and --token are required');
    const unknown = await importLibrary(['--server', url, '--token', 'x', '--only', 'format-disk']);
    expect(unknown.stderr).toContain('no such action in');
  });
});
