/** Runs the product the way a user does (`npm start`), stops it, starts it again, and checks nothing was lost. */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = new URL('../..', import.meta.url).pathname;
const dataDir = mkdtempSync(join(tmpdir(), 'fixpoint-process-'));

interface Started {
  child: ChildProcess;
  url: string;
  output: () => string;
}

function start(env: Record<string, string> = {}): Promise<Started> {
  const child = spawn('npm', ['start', '--silent'], {
    cwd: root,
    env: { ...process.env, PORT: '0', FIXPOINT_DATA_DIR: dataDir, FIXPOINT_LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let out = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no start within 120 s:\n${out}`)), 120_000);
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const match = out.match(/Fixpoint is running at (http:\/\/\S+)/);
      if (match) {
        clearTimeout(timer);
        resolve({ child, url: match[1]!, output: () => out });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => reject(new Error(`exited with ${code} before listening:\n${out}`)));
  });
}

/** Sends SIGTERM to the whole process group, as a terminal's Ctrl-C would, and waits for the backend's clean stop. */
async function stop(s: Started): Promise<void> {
  // 'close' waits for every holder of the output pipes, the backend included, not just npm.
  const exited = new Promise((resolve) => s.child.on('close', resolve));
  process.kill(-s.child.pid!, 'SIGTERM');
  await exited;
  expect(s.output()).toContain('Fixpoint stopped');
}

afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

async function login(url: string, password: string): Promise<string> {
  const res = await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'admin@fixpoint.local', password }),
  });
  expect(res.status).toBe(200);
  return res.headers.get('set-cookie')!.split(';')[0]!;
}

describe('npm start', () => {
  it('serves, stops cleanly, and keeps its data across a restart', async () => {
    let password = '';
    const first = await start();
    try {
      const health = await fetch(`${first.url}/healthz`).then((r) => r.json());
      expect(health).toMatchObject({ status: 'ok', database: 'pglite' });
      const doc: any = await fetch(`${first.url}/api/openapi.json`).then((r) => r.json());
      expect(doc.openapi).toBe('3.1.0');
      expect(doc.paths['/api/v1/actions']).toBeDefined();
      // Without FIXPOINT_ADMIN_* the first admin gets a one-time password, printed once.
      const oneTime = first.output().match(/One-time password:\s+(\S{12,})/)![1]!;
      const cookie = await login(first.url, oneTime);
      // It opens nothing but the password change.
      const blocked = await fetch(`${first.url}/api/v1/actions`, { headers: { cookie } });
      expect(blocked.status).toBe(403);
      expect(((await blocked.json()) as { error: { code: string } }).error.code).toBe('password_change_required');
      password = 'admin-chose-this-1';
      const changed = await fetch(`${first.url}/api/v1/auth/password`, {
        method: 'POST',
        headers: { cookie, 'content-type': 'application/json' },
        body: JSON.stringify({ currentPassword: oneTime, newPassword: password }),
      });
      expect(changed.status).toBe(200);
      const created = await fetch(`${first.url}/api/v1/actions`, {
        method: 'POST',
        headers: { cookie, 'content-type': 'application/json' },
        body: JSON.stringify({ slug: 'say-hello', name: 'Say hello', purpose: 'data_collection', scripts: { linux: { source: 'echo hello' } } }),
      });
      expect(created.status).toBe(201);
    } finally {
      await stop(first);
    }
    const keyFile = join(dataDir, 'keys', 'envelope-ed25519.pem');
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    const key = readFileSync(keyFile, 'utf8');

    const second = await start();
    try {
      const health = await fetch(`${second.url}/healthz`);
      expect(health.status).toBe(200);
      // The admin created on the first start is still there, so no new one-time password is printed.
      expect(second.output()).not.toMatch(/One-time password/);
      expect(readFileSync(keyFile, 'utf8')).toBe(key);
      const cookie = await login(second.url, password);
      const action: any = await fetch(`${second.url}/api/v1/actions/say-hello`, { headers: { cookie } }).then((r) => r.json());
      expect(action.current.scripts.linux.source).toBe('echo hello');
    } finally {
      await stop(second);
    }
  }, 300_000);
});
