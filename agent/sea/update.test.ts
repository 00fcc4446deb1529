/**
 * Signed self-update of the real Linux x64 single-file agent, rolled out in rings. Two devices run version A (the
 * agent as `npm run build:agent` makes it, 0.1.0); B is the same agent built as 0.2.0 (`buildSea({ agentVersion })`:
 * the version is a build-time constant, so this is a second real build, not a flag read at run time). Each device
 * runs under a supervisor that restarts it whenever it exits, as systemd's `Restart=always` does.
 *
 * A → B through two rings (the canary tag, then 100 %); then a C whose binary exits at start: the canary keeps B
 * and the ring pauses naming it; then releases whose signature a database edit replaced (another key's) or emptied
 * are refused on the devices and reported; then back to A, released as a rollback.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync, sign } from 'node:crypto';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { releaseSigningText } from '@fixpoint/protocol';
import { adminPassword, login, startLiveBackend, waitUntil, type LiveBackend } from '../../backend/src/testing/live';
import { AgentProcess } from '../../backend/src/testing/agent-process';
import { buildSea } from './build-sea.mjs';
import { noNodePath } from './no-node-path';
import { generateUpdateKeys, signRelease, uploadRelease } from './release';

const work = mkdtempSync(join(tmpdir(), 'fixpoint-update-'));
const deviceEnv = { PATH: noNodePath(work) };
const keys = generateUpdateKeys();
const binaries = { a: '', b: '', c: join(work, 'c', 'fixpoint-agent-linux-x64') };
let live: LiveBackend;
let cookie: string;

/** Runs `<binary> run` and starts it again whenever it exits, like a service manager; records every exit. */
class Supervised {
  readonly agent: AgentProcess;
  readonly exits: (number | string)[] = [];
  private child: ChildProcess | null = null;
  private stopped = false;
  log = '';

  constructor(
    readonly binary: string,
    readonly name: string,
  ) {
    this.agent = new AgentProcess(binary, { executable: true, baseEnv: deviceEnv });
  }

  async enroll(token: string): Promise<void> {
    await this.agent.enroll(live.url, token, this.name);
    // the new binary gets 20 s to reconnect (5 minutes unless the policy says otherwise)
    writeFileSync(join(this.agent.stateDir, 'config.json'), JSON.stringify({ updateReconnectSec: 20 }), { mode: 0o600 });
  }

  start(): void {
    if (this.stopped) return;
    const child = spawn(this.binary, ['run'], { env: { ...deviceEnv, FIXPOINT_AGENT_STATE_DIR: this.agent.stateDir }, stdio: ['ignore', 'ignore', 'pipe'] });
    child.stderr!.on('data', (chunk: Buffer) => (this.log += chunk.toString()));
    child.once('exit', (code, signal) => {
      this.exits.push(code ?? signal ?? 'unknown');
      setTimeout(() => this.start(), 100);
    });
    this.child = child;
  }

  version(file = this.binary): string {
    return execFileSync(file, ['--version'], { env: deviceEnv, encoding: 'utf8' }).split(' ')[1]!;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    const child = this.child;
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGKILL');
      await exited;
    }
    await this.agent.dispose();
  }
}

const devices: Supervised[] = [];

/** The rows of a raw statement on either driver (PGlite answers `{ rows }`). */
const rowsOf = (result: unknown) => (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows);

/**
 * The admin API, asked again once when the connection drops: undici may reuse a keep-alive socket the server is just
 * closing ("other side closed"), which is the test client's race, not the backend's answer.
 */
async function api(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  try {
    return await live.api(method, path, body);
  } catch (error) {
    if (!(error instanceof TypeError)) throw error;
    return live.api(method, path, body);
  }
}

async function publish(file: string, version: string, rollback = false): Promise<string> {
  const release = await signRelease({ privateKeyPem: keys.privateKeyPem, file, version, os: 'linux', arch: 'x64', rollback });
  return (await uploadRelease(live.url, { cookie }, release, file)).id;
}

async function rollout(version: string, rings: unknown[]): Promise<string> {
  const res = await api('POST', '/agent-rollouts', { version, rings, windowSec: 120 });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.id;
}

const settled = (id: string, timeoutMs = 120_000) =>
  waitUntil(async () => {
    const r = (await api('GET', `/agent-rollouts/${id}`)).body;
    return r.state !== 'running' && r;
  }, timeoutMs, `rollout ${id} settled`);

const deviceRow = async (d: Supervised) => (await api('GET', `/devices/${d.agent.deviceId}`)).body;
const audit = async (action: string) => (await api('GET', `/audit?action=${action}&limit=100`)).body.items as { details: Record<string, unknown>; target: string }[];

beforeAll(async () => {
  const [a, b] = await Promise.all([
    buildSea({ targets: ['linux-x64'], outDir: join(work, 'a'), log: () => {} }),
    buildSea({ targets: ['linux-x64'], outDir: join(work, 'b'), log: () => {}, agentVersion: '0.2.0' }),
  ]);
  binaries.a = a.built[0]!.file;
  binaries.b = b.built[0]!.file;
  mkdirSync(join(work, 'c'));
  writeFileSync(binaries.c, '#!/bin/sh\necho "fixpoint-agent 0.3.0: cannot start" >&2\nexit 3\n');
  chmodSync(binaries.c, 0o755);
  live = await startLiveBackend({ env: { FIXPOINT_UPDATE_PUBLIC_KEY: keys.publicKeyDer }, channel: { rolloutTickMs: 300 } });
  cookie = await login(live.url, adminPassword);
  const canaryToken = (await live.api('POST', '/enrollment-tokens', { oneTime: false, tags: ['canary'] })).body.token;
  const token = (await live.api('POST', '/enrollment-tokens', { oneTime: false })).body.token;
  for (const [name, t] of [['canary-1', canaryToken], ['fleet-1', token]] as const) {
    const dir = join(work, name);
    mkdirSync(dir);
    const binary = join(dir, 'fixpoint-agent');
    copyFileSync(binaries.a, binary);
    chmodSync(binary, 0o755);
    const d = new Supervised(binary, name);
    await d.enroll(t);
    d.start();
    devices.push(d);
  }
  await waitUntil(async () => (await Promise.all(devices.map(deviceRow))).every((r) => r.online && r.agentVersion === '0.1.0'), 30_000, 'both online on 0.1.0');
}, 600_000);

afterAll(async () => {
  for (const d of devices) await d.stop();
  await live?.stop();
  rmSync(work, { recursive: true, force: true });
});

describe('self-update of the single-file agent in rings', () => {
  it('pins the update key at enrollment, apart from the envelope key', () => {
    const identity = JSON.parse(execFileSync('cat', [join(devices[0]!.agent.stateDir, 'identity.json')], { encoding: 'utf8' }));
    expect(identity.updatePublicKey).toBe(keys.publicKeyDer);
    expect(identity.serverPublicKey).not.toBe(keys.publicKeyDer);
  });

  it('moves A to B ring by ring: the canary first, then the rest, each restarted by its supervisor', async () => {
    const [canary, fleet] = devices as [Supervised, Supervised];
    await publish(binaries.b, '0.2.0');
    const id = await rollout('0.2.0', [{ tags: ['canary'] }, { percent: 100 }]);
    const done = await settled(id);
    expect(done, JSON.stringify(done)).toMatchObject({ state: 'completed', currentRing: 1, progress: { updated: 2, failed: 0 } });
    // the second ring was sent only after the first came back
    const sends = (await audit('agent_update.send')).filter((e) => e.target === `agent-rollout:${id}`).reverse();
    expect(sends.map((e) => e.details.devices)).toEqual([[canary.agent.deviceId], [fleet.agent.deviceId]]);
    expect((await audit('agent_rollout.advance')).some((e) => e.target === `agent-rollout:${id}`)).toBe(true);
    for (const d of devices) {
      // it reported from the restarted binary; presence is written within a second
      await waitUntil(async () => {
        const row = await deviceRow(d);
        return row.online && row.agentVersion === '0.2.0';
      }, 10_000, `${d.name} online on 0.2.0`);
      expect(d.version()).toBe('0.2.0');
      expect(d.version(`${d.binary}.previous`)).toBe('0.1.0');
      expect(existsSync(`${d.binary}.next`)).toBe(false);
      expect(d.exits).toEqual([75]);
    }
    const reports = (await api('GET', '/agent-releases/reports')).body.items;
    expect(reports.filter((r: { outcome: string; version: string }) => r.outcome === 'updated' && r.version === '0.2.0')).toHaveLength(2);
  }, 180_000);

  it('keeps B when C exits at start, and pauses the ring naming the device', async () => {
    const [canary, fleet] = devices as [Supervised, Supervised];
    await publish(binaries.c, '0.3.0');
    const id = await rollout('0.3.0', [{ tags: ['canary'] }, { percent: 100 }]);
    const paused = await settled(id, 90_000);
    expect(paused.state).toBe('paused');
    expect(paused.currentRing).toBe(0);
    expect(paused.pausedReason).toMatch(/^ring 1 \(tags canary\): canary-1 rolled back \(exited_at_start\): exited at start with code 3/);
    const rows = (await api('GET', `/agent-rollouts/${id}/devices`)).body.items;
    expect(rows.map((r: { deviceName: string }) => r.deviceName)).toEqual(['canary-1']);
    await waitUntil(async () => (await deviceRow(canary)).online, 30_000, 'canary back online');
    expect(await deviceRow(canary)).toMatchObject({ agentVersion: '0.2.0' });
    expect(canary.version()).toBe('0.2.0');
    expect(existsSync(`${canary.binary}.next`)).toBe(false);
    // the old binary never left: no restart at all
    expect(canary.exits).toEqual([75]);
    expect(fleet.version()).toBe('0.2.0');
    const rolledBack = await audit('agent_update.rolled_back');
    expect(rolledBack[0]).toMatchObject({ target: `device:${canary.agent.deviceId}`, details: { version: '0.3.0', reason: 'exited_at_start' } });
    expect((await audit('agent_rollout.pause')).some((e) => e.target === `agent-rollout:${id}`)).toBe(true);
  }, 120_000);

  it('refuses and reports a release whose signature is another key’s or missing', async () => {
    const other = generateKeyPairSync('ed25519');
    for (const [version, problem] of [['0.4.0', 'bad_signature'], ['0.5.0', 'unsigned']] as const) {
      const releaseId = await publish(binaries.b, version);
      // what a compromised server could do: the release row edited behind the API's back
      const [row] = rowsOf(await live.backend.ctx.db.execute(sql`select version, os, arch, size, sha256, rollback from agent_releases where id = ${releaseId}`)) as {
        version: string; os: string; arch: string; size: number; sha256: string; rollback: boolean;
      }[];
      const forged = problem === 'unsigned' ? '' : sign(null, Buffer.from(releaseSigningText({ ...row!, size: Number(row!.size) })), other.privateKey).toString('base64');
      await live.backend.ctx.db.execute(sql`update agent_releases set signature = ${forged} where id = ${releaseId}`);
      const id = await rollout(version, [{ percent: 100 }]);
      const paused = await settled(id, 60_000);
      expect(paused.state).toBe('paused');
      // the first refusal pauses the ring; both devices were sent the update in the same turn and both refuse it
      expect(paused.pausedReason).toMatch(new RegExp(`^ring 1 \\(100%\\): (canary|fleet)-1 refused \\(${problem}\\)`));
      const reports = await waitUntil(async () => {
        const items = (await api('GET', '/agent-releases/reports')).body.items.filter((r: { version: string }) => r.version === version);
        return items.length === 2 && items;
      }, 30_000, `both refusals of ${version}`);
      expect(reports.every((r: { outcome: string; reason: string }) => r.outcome === 'refused' && r.reason === problem)).toBe(true);
      expect((await audit('agent_update.refused')).filter((e) => e.details.version === version)).toHaveLength(2);
    }
    for (const d of devices) {
      expect(d.version()).toBe('0.2.0');
      expect(existsSync(`${d.binary}.next`)).toBe(false);
      expect(d.exits).toEqual([75]);
    }
  }, 150_000);

  it('goes back to A only as a release marked rollback', async () => {
    await publish(binaries.a, '0.1.0', true);
    const id = await rollout('0.1.0', [{ percent: 100 }]);
    const done = await settled(id);
    expect(done, JSON.stringify(done)).toMatchObject({ state: 'completed', progress: { updated: 2 } });
    for (const d of devices) {
      // presence (online, agent version) is written within a second of the reconnection
      await waitUntil(async () => (await deviceRow(d)).agentVersion === '0.1.0', 10_000, `${d.name} on 0.1.0`);
      expect(d.version()).toBe('0.1.0');
      expect(d.version(`${d.binary}.previous`)).toBe('0.2.0');
      expect(d.exits).toEqual([75, 75]);
    }
  }, 180_000);
});
