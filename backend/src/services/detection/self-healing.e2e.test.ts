/**
 * Self-healing end to end with real processes: a real agent reports an output that crosses a detection rule's
 * condition (a marker file the test creates), the rule fires the remediation, the remediation removes the file
 * on the device, and the device stops matching.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AgentProcess, buildAgentBundle } from '../../testing/agent-process';
import { enrollmentToken, startLiveBackend, waitUntil, type LiveBackend } from '../../testing/live';

let live: LiveBackend;
let agent: AgentProcess;
let deviceId: string;
const work = mkdtempSync(join(tmpdir(), 'fixpoint-heal-'));
const marker = join(work, 'broken.flag');

beforeAll(async () => {
  live = await startLiveBackend();
  const created = await live.api('POST', '/actions', {
    slug: 'marker',
    name: 'Marker check and fix',
    purpose: 'remediation',
    triggers: ['manual', 'api', 'detection'],
    parameters: [
      { name: 'Mode', type: 'enum', allowedValues: ['check', 'fix'], default: 'check' },
      { name: 'Path', type: 'string', required: true },
    ],
    outputs: [{ name: 'present', type: 'bool' }],
    scripts: {
      linux: {
        shell: 'sh',
        source: [
          'if [ "$FIXPOINT_PARAM_MODE" = fix ]; then rm -f -- "$FIXPOINT_PARAM_PATH"; fi',
          'if [ -e "$FIXPOINT_PARAM_PATH" ]; then fixpoint output present true; else fixpoint output present false; fi',
        ].join('\n'),
      },
    },
  });
  expect(created.status).toBe(201);
  agent = new AgentProcess(buildAgentBundle());
  deviceId = await agent.enroll(live.url, await enrollmentToken(live.api), 'heal-me');
  agent.start();
  await waitUntil(async () => (await live.api('GET', `/devices/${deviceId}`)).body.online, 20_000, 'agent online');
}, 120_000);

afterAll(async () => {
  await agent?.kill();
  await live?.stop();
  rmSync(work, { recursive: true, force: true });
});

async function check(): Promise<unknown> {
  const launched = await live.api('POST', '/executions', { action: 'marker', devices: [deviceId], parameters: { Mode: 'check', Path: marker } });
  expect(launched.status).toBe(202);
  const id = launched.body.executions[0].id;
  const done = await waitUntil(async () => {
    const e = (await live.api('GET', `/executions/${id}`)).body;
    return e.finishedAt ? e : null;
  }, 20_000, 'check to finish');
  expect(done.status).toBe('succeeded');
  return done.outputs.present;
}

describe('self-healing with a real agent', () => {
  it('fires the remediation when the device starts matching, and the device then passes', async () => {
    expect(await check()).toBe(false);
    const rule = await live.api('POST', '/detections', {
      name: 'Marker file present',
      condition: 'remote_action.marker.present == true',
      action: 'marker',
      parameters: { Mode: 'fix', Path: marker },
      guards: { canaryPercent: 0, cooldownSec: 0 },
    });
    expect(rule.status, JSON.stringify(rule.body)).toBe(201);
    const health = () => live.api('GET', `/detections/${rule.body.id}/health`).then((r) => r.body);
    expect(await health()).toMatchObject({ matches: 0, fired: 0 });

    writeFileSync(marker, 'broken');
    expect(await check()).toBe(true);

    // The output change re-evaluates the rule for this device: it fires, the remediation deletes the file.
    const healed = await waitUntil(async () => {
      const h = await health();
      return h.succeeded === 1 ? h : null;
    }, 30_000, 'the remediation to succeed');
    expect(healed).toMatchObject({ fired: 1, failed: 0, pausedByBreaker: false });
    expect(existsSync(marker)).toBe(false);

    const runs = await live.api('GET', `/executions?deviceId=${deviceId}&trigger=detection`);
    expect(runs.body.items).toHaveLength(1);
    expect(runs.body.items[0]).toMatchObject({ status: 'succeeded', trigger: 'detection', outputs: { present: false } });
    const device = (await live.api('GET', `/devices/${deviceId}`)).body;
    expect(device.outputs['marker.present']).toBe(false);
    expect((await health()).matches).toBe(0);
  }, 90_000);
});
