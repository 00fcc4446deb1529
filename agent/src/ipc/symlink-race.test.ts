/**
 * A local account races the agent with links, for real: while the agent restarts and the account logs in and out,
 * a process of that account swaps links to a root-owned decoy (holding a root-owned `token`) into every place it can
 * write near the agent's sockets, thousands of times. Nothing outside the agent's own folders may change, and the
 * account's tray must still get in.
 */
import { execFileSync, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { chmodSync, chownSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lookupUser } from '../exec/console-user';
import { waitUntil } from '../testing/fake-server';
import { removeTree } from '../state/trusted-dirs';
import { openControlEndpoint } from './control-server';
import { ipcBase, userSocketPaths } from './paths';
import { TrayHub } from './tray-hub';
import { closeUserSocket, openUserSocket } from './user-socket';

const isRoot = process.getuid?.() === 0 && process.platform === 'linux';
const title = 'link swaps by a local account while the agent sets up its sockets';
const account = `fpr${process.pid}`;

// The attacker: until its deadline, swaps links to the targets wherever it can, and tries the agent's own folders.
const attacker = `
import { mkdirSync, renameSync, symlinkSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
Error.stackTraceLimit = 0; // failures are expected by the thousand: keep them cheap
const [session, ipcDir, runsDir, deadline, ...targets] = process.argv.slice(2);
const old = join(session, 'fixpoint');
let swaps = 0, tries = 0, breaches = [];
const attempt = (what, fn) => { tries++; try { fn(); breaches.push(what); } catch {} };
for (let i = 0; Date.now() < Number(deadline); i++) {
  const target = targets[i % targets.length];
  // where the socket used to be: whatever is there moves aside, and a link to the decoy (or a directory of links) takes its place
  const aside = join(session, 'aside-' + i);
  try { renameSync(old, aside); try { unlinkSync(aside); } catch {} } catch {}
  try {
    if (i % 4) symlinkSync(target, old);
    else { mkdirSync(old); symlinkSync(target, join(old, 'token')); symlinkSync(target, join(old, 'agent.sock')); }
    swaps++;
  } catch {}
  // the agent's folders are root's: every one of these must fail
  attempt('token', () => { unlinkSync(join(ipcDir, 'token')); symlinkSync(target, join(ipcDir, 'token')); });
  attempt('agent.sock', () => renameSync(join(ipcDir, 'agent.sock'), join(session, 'stolen')));
  attempt('plant', () => symlinkSync(target, join(ipcDir, 'x' + i)));
  attempt('folder', () => renameSync(ipcDir, ipcDir + '.moved'));
  attempt('base', () => symlinkSync(target, join(ipcDir, '..', 'y' + i)));
  attempt('runs', () => symlinkSync(target, join(runsDir, 'z' + i + '.sock')));
}
console.log(JSON.stringify({ swaps, tries, breaches: [...new Set(breaches)] }));
`;

// The legitimate tray: reads its secret, says hello, prints what it gets.
const tray = `
import { connect } from 'node:net';
import { readFileSync } from 'node:fs';
const [path, tokenPath, user] = process.argv.slice(2);
const token = readFileSync(tokenPath, 'utf8').trim();
const s = connect(path);
s.on('error', (e) => { console.log(JSON.stringify({ connectError: e.code })); process.exit(0); });
s.on('connect', () => s.write(JSON.stringify({ type: 'hello', token, user, pid: process.pid, version: 't' }) + '\\n'));
s.setEncoding('utf8');
s.on('data', (d) => { process.stdout.write(d); process.exit(0); });
`;

function runAs(user: { uid: number; gid: number }, script: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], { uid: user.uid, gid: user.gid, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('close', () => resolve(out.trim()));
  });
}

/** Everything under `dir` (not following links): type, owner, mode and, for files, content. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (path: string, rel: string) => {
    const st = lstatSync(path);
    const content = st.isFile() ? readFileSync(path, 'utf8') : '';
    out[rel] = `${st.mode.toString(8)} ${st.uid}:${st.gid} ${st.ino} ${content}`;
    if (st.isDirectory()) for (const name of readdirSync(path).sort()) walk(join(path, name), `${rel}/${name}`);
  };
  walk(dir, '.');
  return out;
}

describe.skipIf(!isRoot)(isRoot ? title : `${title} (skipped: needs root, to create an account and act as it)`, () => {
  let work: string;
  let sessions: string;
  let user: { name: string; uid: number; gid: number };

  beforeAll(async () => {
    execFileSync('useradd', ['-m', '-s', '/bin/sh', account]);
    user = (await lookupUser(account))!;
    work = mkdtempSync(join(tmpdir(), 'fixpoint-race-'));
    chmodSync(work, 0o755);
    sessions = join(work, 'run-user');
    mkdirSync(sessions, { mode: 0o755 });
    process.env.FIXPOINT_AGENT_RUNTIME_BASE = sessions;
  });

  afterAll(() => {
    delete process.env.FIXPOINT_AGENT_RUNTIME_BASE;
    // the sessions are the account's: removed as the account, like everything the account could have touched
    if (work) removeTree(work);
    execFileSync('userdel', ['-r', '-f', account], { stdio: 'ignore' });
  });

  it('changes nothing outside the agent’s folders, and the tray still gets in', { timeout: 40_000 }, async () => {
    // root's decoys: a folder with a secret named `token` (what the old layout would have overwritten) and an empty one
    const decoy = join(work, 'decoy');
    const empty = join(work, 'empty');
    mkdirSync(join(decoy, 'sub'), { recursive: true, mode: 0o755 });
    mkdirSync(empty, { mode: 0o755 });
    writeFileSync(join(decoy, 'token'), 'root secret\n', { mode: 0o600 });
    chmodSync(decoy, 0o755);
    const before = { decoy: snapshot(decoy), empty: snapshot(empty) };

    // a folder of the account where the agent's own should be (an older layout handed it over): with links to the decoy
    const paths = userSocketPaths(user);
    mkdirSync(ipcBase(), { recursive: true, mode: 0o711 });
    mkdirSync(paths.dir, { mode: 0o700 });
    mkdirSync(join(paths.dir, 'nested'));
    for (const [name, target] of [['token', join(decoy, 'token')], ['agent.sock', decoy], ['nested/deeper', decoy]])
      symlinkSync(target!, join(paths.dir, name!));
    execFileSync('chown', ['-R', '-h', `${user.uid}:${user.gid}`, paths.dir]);

    const scripts = { attacker: join(work, 'attacker.mjs'), tray: join(work, 'tray.mjs') };
    writeFileSync(scripts.attacker, attacker, { mode: 0o644 });
    writeFileSync(scripts.tray, tray, { mode: 0o644 });
    const session = join(sessions, String(user.uid));
    const login = () => {
      mkdirSync(session, { mode: 0o700 });
      chownSync(session, user.uid, user.gid);
    };
    login();

    const startHub = async () => {
      const started = new TrayHub({ handlers: { traysChanged: () => {}, shown: () => {}, answer: () => {} }, watchSessions: true });
      await started.start();
      return started;
    };
    let hub: TrayHub | null = null;
    let raced: Promise<string> | null = null;
    let loggedOut = 0;
    const started = Date.now();
    try {
      // agent restarts, each with logins and logouts; the attacker starts once the agent has taken its folder back
      for (let round = 0; round === 0 || Date.now() - started < 8000; round++) {
        hub = await startHub();
        for (let i = 0; i < 3; i++) {
          await waitUntil(() => hub!.presence(account).session, 5000, 'a socket for the logged-in account');
          raced ??= runAs(user, scripts.attacker, [
            session,
            paths.dir,
            join(ipcBase(), 'runs'),
            String(Date.now() + 7000),
            decoy,
            join(decoy, 'token'),
            join(decoy, 'sub'),
            empty,
            join(empty, 'new'),
          ]);
          const control = await openControlEndpoint(randomUUID(), { ...user, home: "/", shell: "/bin/sh" }, () => ({ outcome: new Promise(() => {}), abandon: () => {} }));
          await control.close();
          // logout: the session goes (moved aside by root, which acts on the entry only; removed as the account later)
          renameSync(session, join(work, `logged-out-${loggedOut++}`));
          void hub.refresh();
          await waitUntil(() => !hub!.presence(account).session, 5000, 'the socket closed at logout');
          login();
          void hub.refresh();
        }
        if (Date.now() - started < 8000) {
          await hub.stop();
          hub = null;
          // between restarts, the set-up a login goes through, many times over: each is a window for the attacker
          for (let j = 0; j < 40; j++) await closeUserSocket(await openUserSocket(user, (c) => c.destroy()));
        }
      }

      // the last round may have ended with a restart's stop: the agent comes back up after the race, as it would
      hub ??= await startHub();
      const report = JSON.parse(await raced!) as { swaps: number; tries: number; breaches: string[] };
      expect(report.swaps).toBeGreaterThan(1000);
      expect(report.tries).toBeGreaterThan(1000);
      expect(report.breaches).toEqual([]);

      expect({ decoy: snapshot(decoy), empty: snapshot(empty) }).toEqual(before);
      await waitUntil(() => hub!.presence(account).session, 5000, 'a socket after the race');
      // the agent's folders hold only what it put there, and the account's session only what the account made
      expect(readdirSync(ipcBase()).sort()).toEqual([String(user.uid), 'runs']);
      expect(readdirSync(paths.dir).sort()).toEqual(['agent.sock', 'token']);
      expect(readdirSync(join(ipcBase(), 'runs'))).toEqual([]);
      for (const [rel, line] of Object.entries(snapshot(session))) if (rel !== '.') expect(line.split(' ')[1], rel).toBe(`${user.uid}:${user.gid}`);
      const dir = lstatSync(paths.dir);
      expect([dir.uid, dir.gid, dir.mode & 0o7777]).toEqual([0, user.gid, 0o750]);

      // the legitimate tray
      const reply = JSON.parse(await runAs(user, scripts.tray, [paths.socket, paths.token, account])) as unknown;
      expect(reply).toEqual({ type: 'welcome', agentVersion: expect.any(String) });
    } finally {
      await hub?.stop();
      await raced?.catch(() => undefined);
    }
  });
});
