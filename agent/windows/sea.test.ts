/**
 * The Windows x64 single-file agent (agent/sea/build-sea.mjs) under Wine: a PE carrying the blob as its NODE_SEA_BLOB
 * resource, with WinSW beside it, that prints its version, enrolls against a live backend and runs a cmd script, with
 * no node.exe anywhere (the executable is the runtime).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { enrollmentToken, startLiveBackend, waitUntil, type LiveBackend } from '../../backend/src/testing/live';
import { SEA_FUSE, buildSea } from '../sea/build-sea.mjs';
import { WineAgent, startWineNode } from './wine';

const runtime = inject('windows');
const work = mkdtempSync(join(tmpdir(), 'fixpoint-wine-sea-'));
const exe = join(work, 'fixpoint-agent-win-x64.exe');
let live: LiveBackend;
let agent: WineAgent | undefined;

beforeAll(async () => {
  // cached in .cache/sea/ by the hash of the bundle: only a changed agent is injected again
  await buildSea({ targets: ['win-x64'], outDir: work, log: () => {} });
  if (runtime) live = await startLiveBackend({ expirySweepMs: 60_000 });
}, 300_000);

afterAll(async () => {
  await agent?.dispose();
  await live?.stop();
  rmSync(work, { recursive: true, force: true });
});

describe('the Windows x64 single-file agent', () => {
  it('is a PE executable carrying the blob as its NODE_SEA_BLOB resource, with WinSW beside it', () => {
    const bytes = readFileSync(exe);
    expect(bytes.subarray(0, 2).toString('latin1')).toBe('MZ');
    const pe = bytes.readUInt32LE(0x3c);
    expect(bytes.subarray(pe, pe + 4).toString('latin1')).toBe('PE\0\0');
    // resource names are UTF-16 in the resource directory; the fuse is flipped to 1 once a blob is in
    expect(bytes.includes(Buffer.from('NODE_SEA_BLOB', 'utf16le'))).toBe(true);
    expect(bytes.includes(Buffer.from(`${SEA_FUSE}:1`))).toBe(true);
    for (const name of ['winsw.exe', 'winsw.exe.config']) expect(readFileSync(join(work, name)).length).toBeGreaterThan(0);
  });

  it.skipIf(!runtime)(`prints its version, enrolls and runs a script${runtime ? '' : ' (skipped: wine64 is not installed)'}`, async () => {
    const version = startWineNode({ ...runtime!, nodeExe: exe }, work, ['--version']);
    expect(await version.done).toBe(0);
    expect(version.read('stdout')).toMatch(/^fixpoint-agent 0\.1\.0 \(commit (\w+), node v22\.23\.3\)\r?\n$/);

    const token = await enrollmentToken(live.api);
    const created = await live.api('POST', '/actions', {
      slug: 'sea-win', name: 'SEA on Windows', purpose: 'data_collection',
      scripts: { windows: { shell: 'powershell', source: ['@echo off', 'echo hello from %OS%', '>>"%FIXPOINT_OUTPUT_FILE%" echo {"name":"os","value":"%OS%"}', 'exit /b 0'].join('\r\n') + '\r\n' } },
      outputs: [{ name: 'os', type: 'string' }],
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);

    agent = new WineAgent(runtime!, { FIXPOINT_AGENT_TEST_WINDOWS_SHELL: 'cmd' }, exe);
    await agent.enroll(live.url, token, 'sea-windows');
    agent.start();
    await waitUntil(() => live.backend.ctx.dispatcher.isOnline(agent!.deviceId), 60_000, 'the agent connected');
    const launched = await live.api('POST', '/executions', { action: 'sea-win', devices: [agent.deviceId] });
    expect(launched.status, JSON.stringify(launched.body)).toBe(202);
    const id = launched.body.executions[0].id as string;
    const done = await waitUntil(async () => {
      const e = (await live.api('GET', `/executions/${id}`)).body;
      return ['succeeded', 'failed', 'timed_out', 'canceled', 'expired'].includes(e.status) && e;
    }, 60_000, 'execution finished');
    expect(done).toMatchObject({ status: 'succeeded', exitCode: 0, outputs: { os: 'Windows_NT' } });
    expect(done.stdoutTail).toContain('hello from Windows_NT');
    const device = (await live.api('GET', `/devices/${agent.deviceId}`)).body;
    expect(device).toMatchObject({ name: 'sea-windows', platform: 'windows', agentVersion: '0.1.0' });
  }, 180_000);
});
