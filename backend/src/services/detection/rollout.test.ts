import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { DetectionGuards, formatDuration } from '@fixpoint/protocol';
import { auditLog, detectionRules, devices } from '../../db/schema';
import { seedAction, seedDevices } from '../../testing/fleet';
import { automatedAction } from '../../testing/automation';
import { startDetectionBench, type DetectionBench } from '../../testing/detection';
import { dryRunDetectionRule } from './dry-run';
import { getDetectionHealth } from './read';
import { resumeDetectionRule } from './write';

describe('staged rollout, circuit breaker and dry run', () => {
  let b: DetectionBench;
  let ids: string[];
  const low = { disk: { free_pct: 5 } };
  const fired = async (rule: string) => new Set((await b.runs(rule)).map((e) => e.deviceId));

  beforeAll(async () => {
    b = await startDetectionBench();
    ids = await seedDevices(b.ctx, 20, { platform: 'windows' });
  });
  beforeEach(async () => {
    await b.ctx.db.delete(detectionRules);
    await b.setFacts(ids, low);
  });
  afterAll(() => b.close());

  it('runs the canary share first, and the rest once it succeeded', async () => {
    const rule = await b.rule({ guards: { canaryPercent: 10, cooldownSec: 0 } });
    expect(await b.runs(rule)).toHaveLength(2);
    const dry = await dryRunDetectionRule(b.ctx, { principal: b.author, id: rule });
    expect(dry).toMatchObject({ matching: 20, wouldFire: 0, verdicts: { in_flight: 2, canary: 18 } });
    expect((await getDetectionHealth(b.ctx, { principal: b.author, id: rule })).rollout).toEqual({ stage: 'canary', canarySize: 2, canarySucceeded: 0 });
    // the canary devices heal, their runs succeed: the other 18 run
    b.advance(60);
    await b.setFacts([...(await fired(rule))], { disk: { free_pct: 60 } });
    await b.finish(rule, 'succeeded');
    expect(await b.runs(rule)).toHaveLength(20);
    expect((await fired(rule)).size).toBe(20);
    expect((await getDetectionHealth(b.ctx, { principal: b.author, id: rule })).rollout).toMatchObject({ stage: 'full', canarySucceeded: 2 });
  });

  it('trips the breaker after the canary when the action always fails, and the rest never run', async () => {
    const rule = await b.rule({ guards: { canaryPercent: 10, cooldownSec: 0, breaker: { window: 10, minResults: 4, failureRate: 0.5 } } });
    for (let round = 0; round < 10; round++) {
      b.advance(60);
      if (!(await b.finish(rule, 'failed', 'cleanup failed: access denied'))) break;
    }
    const runs = await b.runs(rule);
    expect(runs).toHaveLength(4);
    expect((await fired(rule)).size).toBe(2);
    const health = await getDetectionHealth(b.ctx, { principal: b.author, id: rule });
    expect(health).toMatchObject({
      matches: 20, fired: 4, succeeded: 0, failed: 4, inFlight: 0, pausedByBreaker: true,
      pausedReason: '4 of the last 4 runs failed (threshold 50 %)', lastError: 'cleanup failed: access denied',
    });
    const trips = await b.ctx.db.select().from(auditLog).where(eq(auditLog.action, 'detection.breaker_trip'));
    expect(trips.map((a) => a.actor)).toContain(`detection:${rule}`);
    // paused: neither new matches nor sweeps fire, and the dry run says why
    await b.setFacts(ids, { disk: { free_pct: 1 } });
    await b.engine.sweep();
    await b.engine.settle();
    expect(await b.runs(rule)).toHaveLength(4);
    expect((await dryRunDetectionRule(b.ctx, { principal: b.author, id: rule })).verdicts).toEqual({ paused: 20 });

    // resuming starts the breaker window and the canary over
    b.advance(60);
    const resumed = await resumeDetectionRule(b.ctx, { principal: b.author, id: rule });
    await b.engine.settle();
    expect(resumed).toMatchObject({ pausedByBreaker: false, pausedReason: null, rolloutStage: 'canary' });
    const canary = (await b.runs(rule)).slice(4);
    expect(canary).toHaveLength(2);
    b.advance(60);
    await b.setFacts(canary.map((e) => e.deviceId), { disk: { free_pct: 60 } });
    await b.finish(rule, 'succeeded');
    expect((await fired(rule)).size).toBe(20);
    await expect(resumeDetectionRule(b.ctx, { principal: b.author, id: rule })).rejects.toMatchObject({ status: 409 });
  });

  it('counts launch failures as failures', async () => {
    // a newer version of the action no longer allows the detection trigger
    const { action } = await seedAction(b.ctx, automatedAction({ slug: 'heal-other', triggers: ['manual', 'detection'] }), {
      versions: [automatedAction({ slug: 'heal-other', triggers: ['manual'] })],
    });
    const rule = await b.rule({ guards: { cooldownSec: 0, maxConcurrent: 1, breaker: { window: 5, minResults: 2, failureRate: 0.6 } } });
    expect(await b.runs(rule)).toHaveLength(1);
    await b.ctx.db.update(detectionRules).set({ actionId: action.id }).where(eq(detectionRules.id, rule));
    b.advance(60);
    await b.finish(rule, 'succeeded');
    const health = await getDetectionHealth(b.ctx, { principal: b.author, id: rule });
    expect(health).toMatchObject({ pausedByBreaker: true, succeeded: 1, failed: 2, inFlight: 0 });
    expect(health.lastError).toMatch(/cannot be launched by the detection trigger/);
    expect(health.pausedReason).toBe('2 of the last 3 runs failed (threshold 60 %)');
  });

  it('dry run: who would fire now, and which guard holds back the others', async () => {
    const mac = await seedDevices(b.ctx, 1, { platform: 'macos', namePrefix: 'mac' });
    const rule = await b.rule({ guards: { cooldownSec: 3600, maxConcurrent: 3, canaryPercent: 0 } });
    expect(await b.runs(rule)).toHaveLength(3);
    await b.setFacts(mac, low);
    await b.finish(rule, 'failed');
    // three failed and cool down, three more took their slots; room for two more once the cap is raised
    await b.ctx.db.update(detectionRules).set({ guards: DetectionGuards.parse({ cooldownSec: 3600, maxConcurrent: 5, canaryPercent: 0 }) }).where(eq(detectionRules.id, rule));
    const dry = await dryRunDetectionRule(b.ctx, { principal: b.author, id: rule });
    expect(dry.matching).toBe(21);
    expect(dry.verdicts).toEqual({ in_flight: 3, cooldown: 3, no_script: 1, fires: 2, concurrency_cap: 12 });
    expect(dry.wouldFire).toBe(2);
    expect(dry.devices.find((d) => d.deviceId === mac[0])).toMatchObject({ verdict: 'no_script', deviceName: 'mac-00000', detail: 'the action has no macos script' });
    expect(dry.devices.filter((d) => d.verdict === 'cooldown').every((d) => d.detail === `cooling down for ${formatDuration(3600)}`)).toBe(true);
    // the dry run changed nothing
    expect(await b.runs(rule)).toHaveLength(6);
    await b.ctx.db.delete(devices).where(eq(devices.id, mac[0]!));
  });
});
