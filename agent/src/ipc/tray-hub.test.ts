import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, chownSync, existsSync, lstatSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TrayAnswer } from '@fixpoint/protocol';
import { lookupUser } from '../exec/console-user';
import { userSocketPaths } from './paths';
import { TrayHub } from './tray-hub';

const isRoot = process.getuid?.() === 0 && process.platform === 'linux';
const alice = `fpa${process.pid}`;
const bob = `fpb${process.pid}`;

// A tray stand-in run as another account: connects, presents the secret it can read, prints every line it gets.
const client = `
import { connect } from 'node:net';
import { readFileSync } from 'node:fs';
const [path, tokenPath, user] = process.argv.slice(2);
let token = 'A'.repeat(43);
try { token = readFileSync(tokenPath, 'utf8').trim(); } catch (e) { console.log(JSON.stringify({ tokenError: e.code })); }
const s = connect(path);
s.on('error', (e) => { console.log(JSON.stringify({ connectError: e.code })); process.exit(0); });
s.on('connect', () => s.write(JSON.stringify({ type: 'hello', token, user, pid: process.pid, version: 't' }) + '\\n'));
s.setEncoding('utf8');
let buf = '';
s.on('data', (d) => { buf += d; if (buf.includes('\\n')) { process.stdout.write(buf); process.exit(0); } });
s.on('close', () => process.exit(0));
`;

function runAs(user: { uid: number; gid: number }, script: string, args: string[]): Promise<unknown[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], { uid: user.uid, gid: user.gid, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('close', () => resolve(out.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as unknown)));
  });
}

/** A raw connection as root (which the file permissions let through): what only the secret and the pid check stop. */
function rawExchange(path: string, lines: string[], expected: number): Promise<Record<string, unknown>[]> {
  return new Promise((resolve) => {
    const got: Record<string, unknown>[] = [];
    const s = connect(path);
    s.setEncoding('utf8');
    let buf = '';
    s.on('connect', () => s.write(lines.map((l) => `${l}\n`).join('')));
    s.on('data', (d: string) => {
      buf += d;
      let nl;
      while ((nl = buf.indexOf('\n')) !== -1) {
        got.push(JSON.parse(buf.slice(0, nl)) as Record<string, unknown>);
        buf = buf.slice(nl + 1);
      }
      if (got.length >= expected) s.destroy();
    });
    s.on('close', () => resolve(got));
    setTimeout(() => s.destroy(), 3000);
  });
}

describe.skipIf(!isRoot)('tray sockets, per user (real local accounts)', () => {
  let base: string;
  let script: string;
  let hub: TrayHub;
  const answers: { user: string; answer: TrayAnswer }[] = [];
  const changes: string[] = [];
  let A: { name: string; uid: number; gid: number };
  let B: { name: string; uid: number; gid: number };

  beforeAll(async () => {
    for (const name of [alice, bob]) execFileSync('useradd', ['-M', '-s', '/bin/sh', name]);
    A = (await lookupUser(alice))!;
    B = (await lookupUser(bob))!;
    base = mkdtempSync(join(tmpdir(), 'fixpoint-run-user-'));
    chmodSync(base, 0o755);
    process.env.FIXPOINT_AGENT_RUNTIME_BASE = base;
    for (const u of [A, B]) {
      // what logind does at login
      mkdirSync(join(base, String(u.uid)), { mode: 0o700 });
      chownSync(join(base, String(u.uid)), u.uid, u.gid);
    }
    script = join(base, 'client.mjs');
    writeFileSync(script, client, { mode: 0o644 });
    hub = new TrayHub({
      handlers: { traysChanged: (u) => changes.push(u), shown: () => {}, answer: (user, answer) => answers.push({ user, answer }) },
    });
    await hub.start();
  });

  afterAll(async () => {
    await hub?.stop();
    delete process.env.FIXPOINT_AGENT_RUNTIME_BASE;
    rmSync(base, { recursive: true, force: true });
    for (const name of [alice, bob]) execFileSync('userdel', [name]);
  });

  it('opens a 0600 socket of each logged-in user in a folder of root that only the user may enter', () => {
    expect(hub.users.sort()).toEqual([alice, bob].sort());
    for (const u of [A, B]) {
      const p = userSocketPaths(u);
      const dir = lstatSync(p.dir);
      const sock = lstatSync(p.socket);
      const token = lstatSync(p.token);
      expect([dir.uid, dir.gid, dir.mode & 0o7777]).toEqual([0, u.gid, 0o750]);
      expect([sock.uid, sock.isSocket(), sock.mode & 0o777]).toEqual([u.uid, true, 0o600]);
      expect([token.uid, token.mode & 0o777]).toEqual([u.uid, 0o600]);
    }
  });

  it('admits the user with their secret', async () => {
    const p = userSocketPaths(A);
    const lines = await runAs(A, script, [p.socket, p.token, alice]);
    expect(lines).toEqual([{ type: 'welcome', agentVersion: expect.any(String) }]);
    expect(changes).toContain(alice);
  });

  it('refuses another local user: no access to the socket nor to the secret', async () => {
    const p = userSocketPaths(A);
    const lines = await runAs(B, script, [p.socket, p.token, bob]);
    expect(lines).toEqual([{ tokenError: 'EACCES' }, { connectError: 'EACCES' }]);
    // bob's own secret does not open alice's socket either, even for a client past the file permissions
    const mine = userSocketPaths(B);
    const asBob = await runAs(B, script, [mine.socket, mine.token, alice]);
    expect(asBob).toEqual([{ type: 'error', code: 'unauthenticated', message: `this socket belongs to ${bob}` }]);
  });

  it('refuses a wrong secret, a process of another user, and garbage before the hello', async () => {
    const p = userSocketPaths(A);
    const hello = (fields: object) => JSON.stringify({ type: 'hello', token: 'x'.repeat(43), user: alice, pid: process.pid, version: 't', ...fields });
    expect(await rawExchange(p.socket, [hello({})], 1)).toEqual([{ type: 'error', code: 'unauthenticated', message: 'wrong secret' }]);
    const { readFileSync } = await import('node:fs');
    const token = readFileSync(p.token, 'utf8').trim();
    expect(await rawExchange(p.socket, [hello({ token })], 1)).toEqual([
      { type: 'error', code: 'unauthenticated', message: `process ${process.pid} does not belong to ${alice}` },
    ]);
    const [garbage] = await rawExchange(p.socket, ['{not json'], 1);
    expect(garbage).toMatchObject({ type: 'error', code: 'protocol_error' });
  });

  it('closes the socket of a user whose session ended', async () => {
    rmSync(join(base, String(B.uid)), { recursive: true, force: true });
    await hub.refresh();
    expect(hub.users).toEqual([alice]);
    expect(hub.presence(bob)).toEqual({ session: false, trays: 0 });
    expect(existsSync(userSocketPaths(B).dir)).toBe(false);
  });
});
