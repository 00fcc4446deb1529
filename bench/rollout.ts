/**
 * @module Staged rollouts on the fleet simulator: a launch to `devices` agents whose first wave fails pauses with the
 * rest held, a resume continues wave by wave to completion, and the first wave of a staged launch reaches its agents
 * as fast as the same devices do in the same launch unstaged (medians of launch → first-wave envelopes verified).
 */
import type { Figure } from './lib/report';
import { startBackend } from './lib/backend';
import { median } from './lib/stats';
import { Fleet, type FleetEvents } from './fleet/agents';
import { poster, seedFleetDevices } from './fleet/devices';

export interface RolloutBenchOptions {
  devices: number;
  /** Timed launches of each kind (staged, unstaged), alternating. */
  runs: number;
  databaseUrl?: string;
}

interface Summary {
  counts: Record<string, number>;
  rollout: { state: string; currentWave: number; pausedReason: string | null; waves: { devices: number }[] } | null;
}

const waves = [1, 10, 100];

export async function benchRollout(options: RolloutBenchOptions): Promise<Figure[]> {
  const db = options.databaseUrl ? 'PostgreSQL' : 'PGlite';
  const backend = await startBackend(options.databaseUrl ? { DATABASE_URL: options.databaseUrl } : {});
  let fleet: Fleet | null = null;
  try {
    const token = await backend.token();
    const post = poster(backend, token);
    const get = async (path: string) =>
      (await (await fetch(`${backend.url}/api/v1${path}`, { headers: { authorization: `Bearer ${token}` } })).json()) as Summary;
    await post('/actions', { slug: 'fleet-noop', name: 'Fleet no-op', purpose: 'data_collection', scripts: { linux: { source: 'true\n' } }, outputs: [{ name: 'ok', type: 'bool' }] });
    const devices = await seedFleetDevices(backend, token, options.devices, options.databaseUrl);
    const hooks: FleetEvents = {};
    fleet = new Fleet({
      channelUrl: `${backend.url.replace(/^http/, 'ws')}/api/v1/agent/channel`,
      ...devices,
      events: { verified: (...a) => hooks.verified?.(...a), refused: (id, reason) => { throw new Error(`envelope ${id} refused: ${reason}`); } },
    });
    await fleet.connect(devices.ids);
    const n = devices.ids.length;
    const launch = (rollout: unknown) =>
      post('/executions', { action: 'fleet-noop', devices: devices.ids, parameters: {}, confirmDeviceCount: n, rollout }) as Promise<{ requestId: string }>;
    const until = async (requestId: string, done: (s: Summary) => boolean, what: string) => {
      const deadline = Date.now() + 120_000;
      for (;;) {
        const s = await get(`/requests/${requestId}`);
        if (done(s)) return s;
        if (Date.now() > deadline) throw new Error(`${what}: still ${JSON.stringify(s.rollout ?? s.counts)}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    };

    // A failing first wave pauses the rollout with the rest held; resume continues wave by wave to completion.
    fleet.behaviour = { kind: 'fail' };
    const bad = await launch({ waves });
    const paused = await until(bad.requestId, (s) => s.rollout?.state === 'paused', 'pause');
    const held = paused.counts.held ?? 0;
    fleet.behaviour = { kind: 'succeed', outputs: { ok: true } };
    const resumedAt = performance.now();
    await post(`/requests/${bad.requestId}/resume`, {});
    const completed = await until(bad.requestId, (s) => s.rollout?.state === 'completed', 'completion after resume');
    const resumeMs = performance.now() - resumedAt;
    const good = await launch({ waves });
    const goodStart = performance.now();
    const goodDone = await until(good.requestId, (s) => s.rollout?.state === 'completed', 'a good rollout');
    const goodMs = performance.now() - goodStart;

    // Launch → every first-wave device verified its envelope: staged (1 % first) against the same devices unstaged.
    const firstWave = new Set(devices.ids.slice(0, Math.max(1, Math.ceil((n * waves[0]!) / 100))));
    const timed = async (rollout: unknown) => {
      const pending = new Set(firstWave);
      const t0 = performance.now();
      const reached = new Promise<number>((resolve) => {
        hooks.verified = (_id, dev, at) => {
          if (pending.delete(dev) && !pending.size) resolve(at - t0);
        };
      });
      const { requestId } = await launch(rollout);
      const ms = await reached;
      await until(requestId, (s) => (s.rollout ? s.rollout.state === 'completed' : (s.counts.succeeded ?? 0) === n), 'launch finished');
      return ms;
    };
    const staged: number[] = [];
    const unstaged: number[] = [];
    for (let i = 0; i < options.runs; i++) {
      staged.push(await timed({ waves }));
      unstaged.push(await timed(null));
    }
    hooks.verified = undefined;
    const ratio = median(staged) / median(unstaged);
    return [
      {
        name: `Rollout: failing first wave pauses, rest held, ${n} agents (${db})`, value: held, unit: 'held', target: `${n - firstWave.size}`,
        ok: paused.rollout?.currentWave === 1 && held === n - firstWave.size,
        note: `paused: ${paused.rollout?.pausedReason}; after resume ${completed.rollout?.state} in ${(resumeMs / 1000).toFixed(1)} s, ${completed.counts.succeeded} succeeded`,
      },
      {
        name: `Rollout: good rollout completes wave by wave, ${n} agents (${db})`, value: goodMs, unit: 'ms', target: 'reference',
        note: `waves ${goodDone.rollout?.waves.map((w) => w.devices).join(' + ')}, ${goodDone.counts.succeeded} succeeded`,
      },
      {
        name: `Rollout: launch → first wave verified, staged vs unstaged, ${n} agents (${db})`, value: median(staged), unit: 'ms',
        baseline: median(unstaged), ratio, target: '≤ 1.0 (no added cost)', ok: ratio <= 1.05,
        note: `${options.runs} launches of each to ${n} devices; first wave ${firstWave.size} devices`,
      },
    ];
  } finally {
    await fleet?.stop();
    await backend.stop();
  }
}
