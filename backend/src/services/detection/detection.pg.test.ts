import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDeviceEventBus } from '../../events';
import { createEventBus } from '../../events';
import { seedDevices } from '../../testing/fleet';
import { startDetectionBench, type DetectionBench } from '../../testing/detection';
import { startDetectionEngine } from './engine';
import { getDetectionHealth } from './read';

describe('detection on PostgreSQL, two instances', () => {
  let b: DetectionBench;
  let ids: string[];

  beforeAll(async () => {
    b = await startDetectionBench({ database: 'postgres' });
    ids = await seedDevices(b.ctx, 30, { platform: 'linux' });
  });
  afterAll(() => b.close());

  it('fires each transition once and keeps the fleet-wide cap and canary exact', async () => {
    const rule = await b.rule({ guards: { maxConcurrent: 4, canaryPercent: 20, cooldownSec: 0 } });
    // a second instance on the same database; both hear every change and every outcome (as with a fan-out)
    const other = { ...b.ctx, events: createEventBus(), deviceEvents: createDeviceEventBus() };
    const engine = startDetectionEngine(other, { background: false });
    const forward = [b.ctx.deviceEvents!.subscribe((c) => other.deviceEvents.publish(c)), b.ctx.events.subscribe((e) => other.events.publish(e))];
    await b.setFacts(ids, { disk: { free_pct: 2 } });
    await engine.settle();
    // 20 % of 30: six canaries, at most four at once
    let runs = await b.runs(rule);
    expect(runs).toHaveLength(4);
    expect(new Set(runs.map((r) => r.deviceId)).size).toBe(4);
    b.advance(60);
    await b.setFacts(runs.map((r) => r.deviceId), { disk: { free_pct: 80 } });
    await b.finish(rule, 'succeeded');
    await engine.settle();
    runs = await b.runs(rule);
    expect(runs.filter((r) => r.status === 'queued')).toHaveLength(2);
    expect((await getDetectionHealth(b.ctx, { principal: b.author, id: rule })).rollout).toMatchObject({ stage: 'canary', canarySize: 6, canarySucceeded: 4 });
    b.advance(60);
    await b.setFacts(runs.filter((r) => r.status === 'queued').map((r) => r.deviceId), { disk: { free_pct: 80 } });
    await b.finish(rule, 'succeeded');
    await engine.settle();
    const health = await getDetectionHealth(b.ctx, { principal: b.author, id: rule });
    expect(health).toMatchObject({ inFlight: 4, succeeded: 6, matches: 24, rollout: { stage: 'full' } });
    runs = await b.runs(rule);
    expect(runs).toHaveLength(10);
    expect(new Set(runs.map((r) => r.deviceId)).size).toBe(10);
    forward.forEach((off) => off());
    await engine.stop();
  });
});
