/**
 * @module Staged rollouts end to end with real agent processes, run on PGlite (channel/staged-rollout.e2e.test.ts)
 * and on PostgreSQL (staged-rollout.e2e.pg.test.ts), where two backend instances share the database and the agents
 * are split between them: a first wave that fails on its device pauses the rollout and the other devices stay
 * `held` (they never run); resume releases the next waves; a good rollout completes wave by wave, each wave starting
 * only after the one before ended and its pause (`waitSec`) ran out, and is released once although every instance
 * sees every result.
 */
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isTerminal, type ExecutionEvent } from '@fixpoint/protocol';
import { auditLog } from '../db/schema';
import { AgentProcess, buildAgentBundle } from './agent-process';
import { enrollmentToken, startLiveBackend, waitUntil, type LiveBackend } from './live';

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

export function stagedRolloutAgentsSuite(database: 'pglite' | 'postgres') {
  describe(`a staged rollout on real agents (${database})`, () => {
    let live: LiveBackend;
    /** The instances: one on PGlite, two sharing the database on PostgreSQL. */
    const instances: LiveBackend[] = [];
    const agents: AgentProcess[] = [];
    /** The device whose runs fail (its agent's environment says so), then three that succeed. */
    let failing: string;
    let good: string[];
    /** Terminal execution events each instance's bus delivered, by instance. */
    const seen: ExecutionEvent[][] = [];

    beforeAll(async () => {
      const bundle = buildAgentBundle();
      live = await startLiveBackend({ database, rolloutSweepMs: 100 });
      instances.push(live);
      if (database === 'postgres') instances.push(await startLiveBackend({ shareWith: live, rolloutSweepMs: 100 }));
      for (const [i, instance] of instances.entries()) {
        seen.push([]);
        instance.backend.ctx.events.subscribe((e: ExecutionEvent) => void (isTerminal(e.status) && seen[i]!.push(e)));
      }
      const created = await live.api('POST', '/actions', {
        slug: 'wave-probe', name: 'Wave probe', purpose: 'data_collection', triggers: ['manual', 'api'],
        // the agent passes its own environment (minus FIXPOINT_*) to system runs: one device is told to fail
        scripts: { linux: { shell: 'sh', source: 'if [ -n "$WAVE_PROBE_FAIL" ]; then echo "broken on this device" >&2; exit 3; fi\nfixpoint output said ok\n' } },
        outputs: [{ name: 'said', type: 'string' }],
      });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      const token = await enrollmentToken(live.api);
      for (let i = 0; i < 4; i++) agents.push(new AgentProcess(bundle, { env: i === 0 ? { WAVE_PROBE_FAIL: '1' } : {} }));
      // on two instances, each holds the channels of half the devices
      const home = (i: number) => instances[i % instances.length]!;
      await Promise.all(agents.map((a, i) => a.enroll(home(i).url, token, `wave-${i}`)));
      for (const a of agents) a.start();
      await waitUntil(() => agents.every((a, i) => home(i).backend.ctx.dispatcher.isOnline(a.deviceId)), 30_000, 'agents connected');
      [failing, ...good] = agents.map((a) => a.deviceId) as [string, ...string[]];
    }, 180_000);

    afterAll(async () => {
      await Promise.all(agents.map((a) => a.dispose()));
      for (const instance of instances.slice(1)) await instance.stop();
      await live?.stop();
    });

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
    const audited = (requestId: string, action: string) =>
      live.backend.ctx.db.select().from(auditLog).where(and(eq(auditLog.target, `request:${requestId}`), eq(auditLog.action, action)));

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
      expect(await audited(id, 'rollout.pause')).toHaveLength(1);

      const resumed = await live.api('POST', `/requests/${id}/resume`);
      expect(resumed.status, JSON.stringify(resumed.body)).toBe(200);
      const done = await until(id, (s) => s.rollout.state === 'completed', 'the rollout completed after resume');
      expect(done.counts).toMatchObject({ failed: 1, succeeded: 3, held: 0 });
      expect(done.rollout.waves.map((w) => w.counts.succeeded)).toEqual([0, 1, 2]);
    }, 60_000);

    it('completes a good rollout wave by wave, each wave after the last one ended and its pause, released once', async () => {
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
      // every instance saw every result (its own agents' and, relayed, the others'), and each wave went out once
      const resultsSeen = () => seen.map((events) => events.filter((e) => e.requestId === id).map((e) => e.deviceId).sort().join());
      await waitUntil(() => resultsSeen().every((devices) => devices === [...good].sort().join()), 30_000, 'every instance saw every result');
      expect(resultsSeen()).toHaveLength(instances.length);
      expect((await audited(id, 'rollout.release')).map((a) => (a.details as { wave: number }).wave).sort()).toEqual([2, 3]);
      expect(await audited(id, 'rollout.complete')).toHaveLength(1);
    }, 60_000);
  });
}
