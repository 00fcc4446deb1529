/**
 * Staged rollouts end to end with real agent processes: a first wave that fails on its device pauses the rollout
 * and the other devices stay `held` (they never run); resume releases the next waves; a good rollout completes wave
 * by wave, each wave starting only after the one before ended and its pause (`waitSec`) ran out.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AgentProcess, buildAgentBundle } from '../testing/agent-process';
import { enrollmentToken, startLiveBackend, waitUntil, type LiveBackend } from '../testing/live';

let live: LiveBackend;
const agents: AgentProcess[] = [];
/** The device whose runs fail (its agent's environment says so), then three that succeed. */
let failing: string;
let good: string[];

beforeAll(async () => {
  const bundle = buildAgentBundle();
  live = await startLiveBackend({ rolloutSweepMs: 100 });
  const created = await live.api('POST', '/actions', {
    slug: 'wave-probe', name: 'Wave probe', purpose: 'data_collection', triggers: ['manual', 'api'],
    // the agent passes its own environment (minus FIXPOINT_*) to system runs: one device is told to fail
    scripts: { linux: { shell: 'sh', source: 'if [ -n "$WAVE_PROBE_FAIL" ]; then echo "broken on this device" >&2; exit 3; fi\nfixpoint output said ok\n' } },
    outputs: [{ name: 'said', type: 'string' }],
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const token = await enrollmentToken(live.api);
  for (let i = 0; i < 4; i++) agents.push(new AgentProcess(bundle, { env: i === 0 ? { WAVE_PROBE_FAIL: '1' } : {} }));
  await Promise.all(agents.map((a, i) => a.enroll(live.url, token, `wave-${i}`)));
  for (const a of agents) a.start();
  await waitUntil(() => agents.every((a) => live.backend.ctx.dispatcher.isOnline(a.deviceId)), 30_000, 'agents connected');
  [failing, ...good] = agents.map((a) => a.deviceId) as [string, ...string[]];
}, 180_000);

afterAll(async () => {
  await Promise.all(agents.map((a) => a.dispose()));
  await live?.stop();
});

interface Summary {
  counts: Record<string, number>;
  rollout: { state: string; currentWave: number; pausedReason: string | null; waves: { devices: number; counts: Record<string, number> }[] };
}
interface Run {
  deviceId: string;
  status: string;
  startedAt: string | null;
  finishedAt: string | null;
}
const summary = async (id: string): Promise<Summary> => (await live.api('GET', `/requests/${id}`)).body;
const runsOf = async (id: string): Promise<Map<string, Run>> =>
  new Map(((await live.api('GET', `/executions?requestId=${id}&limit=50`)).body.items as Run[]).map((r) => [r.deviceId, r]));
const until = (id: string, done: (s: Summary) => boolean, what: string): Promise<Summary> =>
  waitUntil(async () => {
    const s = await summary(id);
    return done(s) ? s : null;
  }, 30_000, what);
const launch = async (devices: string[], rollout: Record<string, unknown>) => {
  const res = await live.api('POST', '/executions', { action: 'wave-probe', devices, rollout });
  expect(res.status, JSON.stringify(res.body)).toBe(202);
  return res.body.requestId as string;
};

describe('a staged rollout on real agents', () => {
  it('pauses on a failing first wave with the rest held, and resume continues to the end', async () => {
    const id = await launch([failing, ...good], { waves: [25, 50, 100] });
    const paused = await until(id, (s) => s.rollout.state === 'paused', 'the rollout paused');
    expect(paused.rollout).toMatchObject({ currentWave: 1, pausedReason: 'wave 1: 0 of 1 runs succeeded (0 %), below the 100 % required' });
    expect(paused.rollout.waves.map((w) => w.devices)).toEqual([1, 1, 2]);
    expect(paused.counts).toMatchObject({ failed: 1, held: 3 });
    // held devices never ran: nothing was delivered to their agents
    const runs = await runsOf(id);
    expect(runs.get(failing)).toMatchObject({ status: 'failed' });
    for (const d of good) expect(runs.get(d)).toMatchObject({ status: 'held', startedAt: null });

    const resumed = await live.api('POST', `/requests/${id}/resume`);
    expect(resumed.status, JSON.stringify(resumed.body)).toBe(200);
    const done = await until(id, (s) => s.rollout.state === 'completed', 'the rollout completed after resume');
    expect(done.counts).toMatchObject({ failed: 1, succeeded: 3, held: 0 });
    expect(done.rollout.waves.map((w) => w.counts.succeeded)).toEqual([0, 1, 2]);
  }, 60_000);

  it('completes a good rollout wave by wave, each wave after the last one ended and its pause', async () => {
    const id = await launch(good, { waves: [33, 66, 100], waitSec: 1 });
    const done = await until(id, (s) => s.rollout.state === 'completed', 'the rollout completed');
    expect(done.rollout.waves.map((w) => w.devices)).toEqual([1, 1, 1]);
    expect(done.counts).toMatchObject({ succeeded: 3 });
    const runs = await runsOf(id);
    const [first, second, third] = good.map((d) => runs.get(d)!);
    for (const [before, after] of [[first!, second!], [second!, third!]] as const) {
      // a wave is released at least waitSec after the one before ended
      expect(Date.parse(after.startedAt!) - Date.parse(before.finishedAt!)).toBeGreaterThanOrEqual(1000);
    }
  }, 60_000);
});
