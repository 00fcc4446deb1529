/**
 * The single-file tray client (build-sea.mjs `buildTraySea`), for real: the Linux x64 executable prints its version,
 * says hello to an agent socket with the user's secret, and finds systray2's helper in `traybin/` beside itself (it
 * copies it into the user's cache to run it), with no node on PATH and nothing of this machine's environment. The
 * macOS x64 one is checked by its structure; arm64 trays are not built, with the reason. The Windows one runs under
 * Wine: agent/windows/tray-sea.test.ts.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitUntil } from '../../backend/src/testing/wait';
import { SEA_FUSE, SEA_MACHO_SEGMENT, buildTraySea } from './build-sea.mjs';
import { noNodePath } from './no-node-path';

const work = mkdtempSync(join(tmpdir(), 'fixpoint-tray-sea-'));
const outDir = join(work, 'out');
const binary = join(outDir, 'fixpoint-tray-linux-x64');
const deviceEnv = { PATH: noNodePath(work) };
let tray: ChildProcess | undefined;
let server: Server | undefined;

beforeAll(async () => {
  const { built } = await buildTraySea({ targets: ['linux-x64'], outDir, log: () => {} });
  expect(built.map((b) => b.file)).toEqual([binary]);
}, 300_000);

afterAll(async () => {
  tray?.kill('SIGKILL');
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(null)));
  rmSync(work, { recursive: true, force: true });
});

describe('the Linux x64 single-file tray', () => {
  it('prints its version, the commit it was built from and its node, with no node on PATH', () => {
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
    expect(() => execFileSync('sh', ['-c', 'command -v node'], { env: deviceEnv })).toThrow();
    expect(execFileSync(binary, ['--version'], { env: deviceEnv, encoding: 'utf8' })).toBe(`fixpoint-tray 0.1.0 (commit ${commit}, node v22.23.3)\n`);
  });

  it('says hello to the agent with the secret, and takes systray2\'s helper from traybin/ beside itself', async () => {
    const socket = join(work, 'agent.sock');
    const tokenFile = join(work, 'token');
    writeFileSync(tokenFile, 'tray-secret-0123456789\n');
    const lines: string[] = [];
    server = createServer((connection) => {
      connection.setEncoding('utf8');
      let buffered = '';
      connection.on('data', (chunk: string) => {
        buffered += chunk;
        const parts = buffered.split('\n');
        buffered = parts.pop()!;
        lines.push(...parts);
      });
    });
    await new Promise<void>((resolve) => server!.listen(socket, resolve));
    const cache = join(work, 'cache');
    tray = spawn(binary, [], {
      env: {
        ...deviceEnv,
        HOME: work,
        XDG_CACHE_HOME: cache,
        // a display nobody serves: the tray copies its helper, the helper finds no display, the tray goes on without an icon
        DISPLAY: ':97',
        FIXPOINT_TRAY_SOCKET: socket,
        FIXPOINT_TRAY_TOKEN_FILE: tokenFile,
        FIXPOINT_TRAY_BROWSER_WARM: '0',
      },
      stdio: 'ignore',
    });
    await waitUntil(() => lines.length > 0, 30_000, 'the tray said hello');
    expect(JSON.parse(lines[0]!)).toMatchObject({ type: 'hello', token: 'tray-secret-0123456789', version: '0.1.0', pid: tray.pid });
    const copied = join(cache, 'fixpoint-tray', '2.1.4', 'tray_linux_release');
    await waitUntil(() => existsSync(copied) && statSync(copied).size > 0, 30_000, 'the helper was copied into the cache');
    expect(readFileSync(copied).equals(readFileSync(join(outDir, 'traybin', 'tray_linux_release')))).toBe(true);
    expect(statSync(copied).mode & 0o111).toBeTruthy();
    expect(tray.exitCode).toBeNull();
  }, 60_000);
});

describe('the other single-file trays', () => {
  it('builds macOS x64 as a Mach-O with the blob in NODE_SEA and its helper beside it, and skips arm64 with the reason', async () => {
    const { built, skipped } = await buildTraySea({ targets: ['darwin-x64', 'darwin-arm64', 'linux-arm64'], outDir, log: () => {} });
    expect(built.map((b) => b.target)).toEqual(['darwin-x64']);
    const bytes = readFileSync(built[0]!.file);
    expect(bytes.readUInt32LE(0)).toBe(0xfeedfacf);
    expect(bytes.includes(Buffer.from(`${SEA_FUSE}:1`))).toBe(true);
    expect(bytes.includes(Buffer.from(SEA_MACHO_SEGMENT))).toBe(true);
    expect(bytes.includes(Buffer.from('fixpoint-tray'))).toBe(true);
    expect(readFileSync(join(outDir, 'traybin', 'tray_darwin_release')).readUInt32LE(0)).toBe(0xfeedfacf);
    expect(skipped.map((s) => s.target).sort()).toEqual(['darwin-arm64', 'linux-arm64']);
    for (const { reason } of skipped) expect(reason).toMatch(/x86-64 only/);
  }, 300_000);
});
