import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { detectionRules, devices as devicesTable } from '../../db/schema';
import { seedDevices } from '../../testing/fleet';
import { startDetectionBench, type DetectionBench } from '../../testing/detection';
import { transitionExecution } from '../executions';
import { getDetectionHealth } from './read';

describe('detection guards', () => {
  let b: DetectionBench;
  let ids: string[];
  const healthy = { disk: { free_pct: 50 } };
  const low = { disk: { free_pct: 5 } };
  const perDevice = async (ruleId: string) => {
    const counts = new Map<string, number>();
    for (const e of await b.runs(ruleId)) counts.set(e.deviceId, (counts.get(e.deviceId) ?? 0) + 1);
    return ids.map((id) => counts.get(id) ?? 0);
  };

  beforeAll(async () => {
    b = await startDetectionBench();
    ids = await seedDevices(b.ctx, 5, { platform: 'windows' });
  });
  beforeEach(async () => {
    await b.ctx.db.delete(detectionRules);
    await b.setFacts(ids, healthy);
  });
  afterAll(() => b.close());

  it('fires only when a device goes from not matching to matching', async () => {
    const rule = await b.rule({ guards: { cooldownSec: 0 } });
    expect(await b.runs(rule)).toHaveLength(0);
    await b.setFacts([ids[0]!], low);
    const [first] = await b.runs(rule);
    expect(first).toMatchObject({ deviceId: ids[0], trigger: 'detection', requestedBy: `detection:${rule}`, status: 'queued' });
    // still matching, a run in flight: nothing new
    await b.setFacts([ids[0]!], { disk: { free_pct: 4 } });
    expect(await b.runs(rule)).toHaveLength(1);
    // the device heals, passes, and later matches again: a new transition
    await b.finish(rule, 'succeeded');
    await b.setFacts([ids[0]!], healthy);
    await b.setFacts([ids[0]!], low);
    expect(await perDevice(rule)).toEqual([2, 0, 0, 0, 0]);
  });

  it('evaluates every enabled rule for a changed device, on facts and on action outputs', async () => {
    const disk = await b.rule({ guards: { cooldownSec: 0 } });
    const output = await b.rule({ name: 'from outputs', condition: 'remote_action.heal_disk.free_pct < 10' });
    const off = await b.rule({ name: 'disabled', enabled: false });
    await b.setFacts([ids[1]!], low);
    expect(await perDevice(disk)).toEqual([0, 1, 0, 0, 0]);
    expect(await b.runs(off)).toHaveLength(0);
    // an output reported by a run becomes a device field
    const [run] = await b.runs(disk);
    await transitionExecution(b.ctx, { executionId: run!.id, deviceId: run!.deviceId, to: 'succeeded', outputs: { free_pct: 3 } });
    b.ctx.deviceEvents!.publish({ deviceId: ids[1]!, kind: 'outputs' });
    await b.engine.settle();
    expect(await perDevice(output)).toEqual([0, 1, 0, 0, 0]);
    await b.ctx.db.update(devicesTable).set({ outputs: {} });
  });

  it('waits out the cooldown before another attempt', async () => {
    const rule = await b.rule({ guards: { cooldownSec: 600 } });
    await b.setFacts([ids[0]!], low);
    await b.finish(rule, 'failed', 'no space');
    await b.engine.sweep();
    await b.engine.settle();
    expect(await b.runs(rule)).toHaveLength(1);
    b.advance(599);
    await b.engine.sweep();
    await b.engine.settle();
    expect(await b.runs(rule)).toHaveLength(1);
    b.advance(1);
    await b.engine.sweep();
    await b.engine.settle();
    expect(await b.runs(rule)).toHaveLength(2);
  });

  it('makes at most three attempts while the device keeps matching, and resets once it passes', async () => {
    const rule = await b.rule({ guards: { cooldownSec: 0, maxRunsPerDevicePerDay: 100, breaker: { window: 100, minResults: 100 } } });
    await b.setFacts([ids[2]!], low);
    for (let i = 0; i < 4; i++) await b.finish(rule, 'failed');
    expect(await perDevice(rule)).toEqual([0, 0, 3, 0, 0]);
    await b.engine.sweep();
    await b.engine.settle();
    expect(await b.runs(rule)).toHaveLength(3);
    await b.setFacts([ids[2]!], healthy);
    await b.setFacts([ids[2]!], low);
    expect(await perDevice(rule)).toEqual([0, 0, 4, 0, 0]);
  });

  it('limits runs per device per day', async () => {
    b.advance(2 * 86_400);
    const rule = await b.rule({ guards: { cooldownSec: 0, maxRunsPerDevicePerDay: 2, breaker: { window: 100, minResults: 100 } } });
    await b.setFacts([ids[3]!], low);
    await b.finish(rule, 'failed');
    await b.finish(rule, 'failed');
    expect(await b.runs(rule)).toHaveLength(2);
    b.advance(86_400 - 1);
    await b.engine.sweep();
    await b.engine.settle();
    expect(await b.runs(rule)).toHaveLength(2);
    b.advance(1);
    await b.engine.sweep();
    await b.engine.settle();
    expect(await b.runs(rule)).toHaveLength(3);
  });

  it('caps runs queued or running fleet-wide', async () => {
    const rule = await b.rule({ guards: { maxConcurrent: 2 } });
    await b.setFacts(ids, low);
    expect(await b.runs(rule)).toHaveLength(2);
    expect(await getDetectionHealth(b.ctx, { principal: b.author, id: rule })).toMatchObject({ matches: 5, inFlight: 2, pending: 3 });
    const [first] = await b.runs(rule);
    await transitionExecution(b.ctx, { executionId: first!.id, deviceId: first!.deviceId, to: 'succeeded' });
    await b.engine.settle();
    const runs = await b.runs(rule);
    expect(runs).toHaveLength(3);
    expect(runs.filter((r) => r.status === 'queued')).toHaveLength(2);
  });

  it('keeps no state for a disabled rule, and starts afresh when enabled', async () => {
    const rule = await b.rule({ enabled: false });
    await b.setFacts(ids.slice(0, 2), low);
    expect(await getDetectionHealth(b.ctx, { principal: b.author, id: rule })).toMatchObject({ matches: 0, fired: 0 });
    const { updateDetectionRule } = await import('./write');
    await updateDetectionRule(b.ctx, { principal: b.author, id: rule, changes: { enabled: true } });
    await b.engine.settle();
    expect(await perDevice(rule)).toEqual([1, 1, 0, 0, 0]);
    const [row] = await b.ctx.db.select().from(detectionRules).where(eq(detectionRules.id, rule));
    expect(row!.enabled).toBe(true);
  });
});
