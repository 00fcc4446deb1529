/**
 * Neutral self-help outcomes (declined, postponed, timeout, no user, signalled by the `fixpoint campaign` exit codes)
 * against the guards, and how health and history show them, through the API, on PGlite and PostgreSQL.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { campaignExitCodes as codes } from '@fixpoint/protocol';
import { detectionRules } from '../../db/schema';
import { seedDevices } from '../../testing/fleet';
import { seedAutomatedAction } from '../../testing/automation';
import { startDetectionBench, type DetectionBench } from '../../testing/detection';

describe.each(['pglite', 'postgres'] as const)('neutral self-help outcomes (%s)', (database) => {
  let b: DetectionBench;
  let ids: string[];
  let admin: Record<string, string>;
  const low = { disk: { free_pct: 5 } };
  const health = async (rule: string) => (await b.t.call('GET', `/api/v1/detections/${rule}/health`, { headers: admin })).body;
  const events = async (rule: string) => (await b.t.call('GET', `/api/v1/detections/${rule}/events`, { headers: admin })).body;
  const tight = { cooldownSec: 0, maxRunsPerDevicePerDay: 100, maxAttempts: 3, breaker: { window: 10, minResults: 2, failureRate: 0.5 } };

  beforeAll(async () => {
    b = await startDetectionBench({ database });
    ids = await seedDevices(b.ctx, 6, { platform: 'linux' });
    await seedAutomatedAction(b.ctx, { slug: 'ask-user', runAs: 'user' });
    admin = await b.t.as('admin');
  });
  beforeEach(async () => {
    await b.ctx.db.delete(detectionRules);
    await b.setFacts(ids, { disk: { free_pct: 50 } });
  });
  afterAll(() => b?.close());

  it('a user run that ends declined, postponed, timed out or with nobody logged in uses no attempt and trips no breaker', async () => {
    const rule = await b.rule({ action: 'ask-user', guards: tight });
    expect((await b.t.call('GET', `/api/v1/detections/${rule}`, { headers: admin })).body).toMatchObject({ runAs: 'user', selfHelp: true });
    await b.setFacts([ids[0]!], low);
    // five neutral endings in a row: more than the three attempts, and a breaker that trips at two failures
    for (const code of [codes.declined, codes.postponed, codes.timeout, codes.expired, codes.no_user]) {
      b.advance(1);
      expect(await b.finish(rule, 'failed', 'asked', code)).toBe(1);
    }
    const runs = await b.runs(rule);
    expect(runs.map((r) => r.status)).toEqual(['failed', 'failed', 'failed', 'failed', 'failed', 'queued']);
    // the execution's own status stays truthful: failed, with the exit code
    expect(runs.slice(0, 5).map((r) => r.exitCode)).toEqual([10, 11, 12, 13, 14]);
    expect(await health(rule)).toMatchObject({
      fired: 6, inFlight: 1, succeeded: 0, failed: 0, neutral: 5, pausedByBreaker: false, lastError: null,
      neutralByOutcome: { declined: 1, postponed: 1, timeout: 2, no_user: 1 },
    });
    const history = await events(rule);
    expect(history.total).toBe(6);
    expect(history.items.map((e: any) => [e.status, e.neutral])).toEqual([
      ['launched', null], ['failed', 'no_user'], ['failed', 'timeout'], ['failed', 'timeout'], ['failed', 'postponed'], ['failed', 'declined'],
    ]);
    expect(history.items[1]).toMatchObject({ deviceId: ids[0], attempt: 1, error: 'asked' });
    const paged = (await b.t.call('GET', `/api/v1/detections/${rule}/events?limit=2&offset=2`, { headers: admin })).body;
    expect(paged).toMatchObject({ total: 6, next: 4 });
    expect(paged.items.map((e: any) => e.neutral)).toEqual(['timeout', 'timeout']);
    expect((await b.t.call('GET', `/api/v1/detections/${rule}/events?limit=0`, { headers: admin })).status).toBe(400);
    expect((await b.t.call('GET', '/api/v1/detections/00000000-0000-4000-8000-000000000000/events', { headers: admin })).status).toBe(404);
    expect((await b.t.call('GET', `/api/v1/detections/${rule}/events`)).status).toBe(401);
    // real failures still count: two in a row trip the breaker
    await b.finish(rule, 'failed', 'disk still full', 1);
    await b.finish(rule, 'failed', 'disk still full', 1);
    expect(await health(rule)).toMatchObject({ failed: 2, neutral: 5, pausedByBreaker: true, lastError: 'disk still full' });
  });

  it('a system run asks through a campaign only on a rule marked self-help; elsewhere the same exit code is a failure', async () => {
    const created = await b.t.call('POST', '/api/v1/detections', {
      headers: admin,
      body: { name: 'asks as the system', condition: 'disk.free_pct < 10', action: 'heal-disk', selfHelp: true, guards: { ...tight, canaryPercent: 0 } },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({ runAs: 'system', selfHelp: true });
    const healing = await b.rule({ name: 'self-healing', guards: tight });
    await b.setFacts([ids[1]!], low);
    for (const rule of [created.body.id, healing]) {
      await b.finish(rule, 'failed', 'declined', codes.declined);
      await b.finish(rule, 'failed', 'declined', codes.declined);
    }
    expect(await health(created.body.id)).toMatchObject({ neutral: 2, failed: 0, pausedByBreaker: false });
    expect(await health(healing)).toMatchObject({ neutral: 0, failed: 2, pausedByBreaker: true });
    // the flag can be switched off again; a bad value is a 400
    const off = await b.t.call('PUT', `/api/v1/detections/${created.body.id}`, { headers: admin, body: { selfHelp: false } });
    expect(off.body, JSON.stringify(off.body)).toMatchObject({ selfHelp: false });
    expect((await b.t.call('PUT', `/api/v1/detections/${created.body.id}`, { headers: admin, body: { selfHelp: 'yes' } })).status).toBe(400);
  });

  it('a canary device whose user declined hands its place to another device', async () => {
    const rule = await b.rule({ action: 'ask-user', guards: { ...tight, cooldownSec: 600, canaryPercent: 20 } });
    await b.setFacts(ids, low);
    const first = await b.runs(rule);
    // 20 % of 6: a canary of two
    expect(first).toHaveLength(2);
    await b.finish(rule, 'failed', 'declined', codes.declined);
    const runs = await b.runs(rule);
    expect(runs).toHaveLength(4);
    expect(new Set(runs.map((r) => r.deviceId)).size).toBe(4);
    expect(await health(rule)).toMatchObject({ neutral: 2, failed: 0, rollout: { stage: 'canary', canarySize: 2, canarySucceeded: 0 } });
  });
});
