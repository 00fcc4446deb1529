/** Starts the real backend as a child process (the bundled build), so the load generator never shares its event loop. */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const root = new URL('../..', import.meta.url).pathname;
export const adminEmail = 'bench@fixpoint.local';
export const adminPassword = 'bench-password-123';

export interface BenchBackend {
  url: string;
  child: ChildProcess;
  /** Its data directory (PGlite's files, when no DATABASE_URL is given). */
  dataDir: string;
  /** Signs in and returns a personal access token with every permission of the admin, valid `expiresInSec` (default an hour). */
  token(expiresInSec?: number): Promise<string>;
  stop(): Promise<void>;
}

export function buildBackend(): void {
  const r = spawnSync('npm', ['run', 'build', '-w', 'backend', '--silent'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('backend build failed');
}

/** `FIXPOINT_BENCH_CPU_PROF=<dir>` writes a V8 CPU profile of every backend the benchmarks start into `<dir>`. */
const profileArgs = process.env.FIXPOINT_BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.FIXPOINT_BENCH_CPU_PROF}`] : [];

/**
 * Starts a backend with a fresh data directory. `keysFrom`: the data directory of another instance on the same
 * database, whose envelope key this one must sign with too.
 */
export async function startBackend(env: Record<string, string> = {}, options: { keysFrom?: string } = {}): Promise<BenchBackend> {
  const dataDir = mkdtempSync(join(tmpdir(), 'fixpoint-bench-'));
  if (options.keysFrom) {
    mkdirSync(join(dataDir, 'keys'), { recursive: true, mode: 0o700 });
    copyFileSync(join(options.keysFrom, 'keys', 'envelope-ed25519.pem'), join(dataDir, 'keys', 'envelope-ed25519.pem'));
  }
  const child = spawn(process.execPath, [...profileArgs, join(root, 'backend/dist/main.mjs')], {
    env: {
      ...process.env,
      PORT: '0',
      FIXPOINT_DATA_DIR: dataDir,
      FIXPOINT_LOG_LEVEL: 'error',
      FIXPOINT_ADMIN_EMAIL: adminEmail,
      FIXPOINT_ADMIN_PASSWORD: adminPassword,
      // benchmarks launch actions their one admin just wrote; approval is not what they measure
      FIXPOINT_REQUIRE_APPROVAL: 'false',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = out.match(/running at (http:\/\/\S+)/);
      if (m) resolve(m[1]!);
    });
    child.on('exit', (code) => reject(new Error(`backend exited with ${code}`)));
  });
  return {
    url,
    child,
    dataDir,
    async token(expiresInSec = 3600) {
      const login = await fetch(`${url}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: adminEmail, password: adminPassword }),
      });
      const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
      const res = await fetch(`${url}/api/v1/tokens`, {
        method: 'POST',
        headers: { cookie, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'bench', expiresInSec }),
      });
      return ((await res.json()) as { token: string }).token;
    },
    async stop() {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
