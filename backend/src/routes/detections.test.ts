import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestBackend, type TestBackend } from '../testing/harness';
import { seedDevices, seedRole } from '../testing/fleet';
import { executionsBy, seedAutomatedAction, setDeviceFacts } from '../testing/automation';
import { auditEntries } from '../testing/actions';

const base = '/api/v1/detections';
const valid = { name: 'Low disk', condition: 'disk.free_pct < 10', action: 'heal-disk', guards: { canaryPercent: 0 } };

describe('detection routes', () => {
  let t: TestBackend;
  let ids: string[];

  beforeAll(async () => {
    t = await createTestBackend();
    await seedAutomatedAction(t.ctx, { slug: 'heal-disk' });
    await seedAutomatedAction(t.ctx, { slug: 'manual-only', triggers: ['manual'] });
    // automation runs with its owner's rights: its authors also need to be allowed to run the action
    await seedRole(t.ctx, 'runner', { permissions: ['actions:run'], runnableActions: ['*'], deviceScope: { all: true } });
    ids = await seedDevices(t.ctx, 3, { platform: 'windows' });
    await setDeviceFacts(t.ctx, ids.slice(0, 2), { disk: { free_pct: 4 } });
  });
  afterAll(() => t.close());

  it('creates a rule that fires at once on matching devices, and reads it back', async () => {
    const author = await t.as(['author', 'runner']);
    const created = await t.call('POST', base, { headers: author, body: { ...valid, parameters: { Token: 'secret-value' } } });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({
      name: 'Low disk', actionSlug: 'heal-disk', runAs: 'system', enabled: true, pausedByBreaker: false, rolloutStage: 'full', parameters: { Token: '***' },
      guards: { cooldownSec: 3600, maxRunsPerDevicePerDay: 3, maxAttempts: 3, maxConcurrent: 100, canaryPercent: 0, breaker: { window: 20, minResults: 5, failureRate: 0.5 } },
    });
    const id = created.body.id;
    expect((await executionsBy(t.ctx, `detection:${id}`)).map((e) => e.deviceId).sort()).toEqual(ids.slice(0, 2).sort());
    const viewer = await t.as('viewer');
    expect((await t.call('GET', `${base}/${id}`, { headers: viewer })).body.id).toBe(id);
    expect((await t.call('GET', base, { headers: viewer })).body).toMatchObject({ total: 1, items: [{ id }] });

    const health = await t.call('GET', `${base}/${id}/health`, { headers: viewer });
    expect(health.body).toMatchObject({ ruleId: id, matches: 2, pending: 0, inFlight: 2, fired: 2, succeeded: 0, failed: 0, pausedByBreaker: false, lastError: null });

    const dry = await t.call('POST', `${base}/${id}/dry-run`, { headers: viewer });
    expect(dry.status).toBe(200);
    expect(dry.body).toMatchObject({ ruleId: id, matching: 2, wouldFire: 0, verdicts: { in_flight: 2 }, truncated: false });
    expect(dry.body.devices[0]).toMatchObject({ verdict: 'in_flight', deviceName: expect.stringMatching(/^pc-/) });

    const changed = await t.call('PUT', `${base}/${id}`, { headers: author, body: { guards: { cooldownSec: 60, breaker: { window: 10 } } } });
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    expect(changed.body.guards).toMatchObject({ cooldownSec: 60, maxConcurrent: 100, breaker: { window: 10, minResults: 5 } });

    const resume = await t.call('POST', `${base}/${id}/resume`, { headers: author });
    expect(resume.status).toBe(409);

    expect((await t.call('DELETE', `${base}/${id}`, { headers: author })).status).toBe(204);
    expect((await t.call('GET', `${base}/${id}/health`, { headers: viewer })).status).toBe(404);
    const audit = [...(await auditEntries(t, 'detection.create')), ...(await auditEntries(t, 'detection.update')), ...(await auditEntries(t, 'detection.delete'))];
    expect(audit.map((a) => a.target)).toEqual([`detection:${id}`, `detection:${id}`, `detection:${id}`]);
    expect(JSON.stringify(audit)).not.toContain('secret-value');
    expect((await auditEntries(t, 'execution.launch')).some((a) => a.actor === `detection:${id}`)).toBe(true);
  });

  it('rejects bad rules with a 400 naming the problem', async () => {
    const author = await t.as(['author', 'runner']);
    const cases: [unknown, RegExp | object | 201][] = [
      [{ ...valid, condition: 'disk.free_pct <' }, { code: 'bad_request', details: { line: 1, column: 16, offset: 15 } }],
      [{ ...valid, condition: 'name == "a" | summarize count()' }, /cannot add stages/],
      [{ ...valid, condition: '' }, /condition/],
      [{ ...valid, action: 'manual-only' }, /does not allow the detection trigger/],
      [{ ...valid, action: 'nope' }, /not found/],
      [{ ...valid, parameters: { Depth: 'x' } }, /parameters/],
      [{ ...valid, guards: { maxAttempts: 4 } }, /maxAttempts/],
      [{ ...valid, guards: { canaryPercent: 101 } }, /canaryPercent/],
      [{ ...valid, guards: { maxConcurrent: 0 } }, /maxConcurrent/],
      [{ ...valid, guards: { breaker: { window: 5, minResults: 6 } } }, /minResults \(6\) cannot exceed breaker.window \(5\)/],
      [{ ...valid, guards: { breaker: { failureRate: 0 } } }, /failureRate/],
      [{ ...valid, guards: { surprise: 1 } }, /surprise|unrecognized/i],
      [{ ...valid, extra: true }, /extra|unrecognized/i],
      [{ ...valid, condition: `name == "'; drop table detection_rules; --"`, name: "x'); drop table devices; --" }, 201],
    ];
    for (const [body, expected] of cases) {
      const res = await t.call('POST', base, { headers: author, body });
      if (expected === 201) {
        expect(res.status).toBe(201);
        continue;
      }
      expect(res.status, `${JSON.stringify(body)} → ${JSON.stringify(res.body)}`).toBe(400);
      if (expected instanceof RegExp) expect(res.body.error.message).toMatch(expected);
      else expect(res.body.error).toMatchObject(expected);
    }
    const { body: rule } = await t.call('POST', base, { headers: author, body: { ...valid, enabled: false } });
    for (const [body, message] of [[{}, /at least one/], [{ condition: 'x ==' }, /line 1, column 5/], [{ guards: { breaker: { minResults: 50 } } }, /cannot exceed/]] as const) {
      const res = await t.call('PUT', `${base}/${rule.id}`, { headers: author, body });
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(message);
    }
    expect((await t.call('POST', `${base}/not-a-uuid/dry-run`, { headers: author })).status).toBe(400);
    expect((await t.call('POST', `${base}/00000000-0000-4000-8000-000000000000/resume`, { headers: author })).status).toBe(404);
  });

  it('needs actions:edit to write and devices:read to read', async () => {
    const { body: rule } = await t.call('POST', base, { headers: await t.as(['author', 'runner']), body: { ...valid, enabled: false } });
    for (const role of ['support', 'viewer']) {
      const headers = await t.as(role);
      expect((await t.call('POST', base, { headers, body: valid })).status).toBe(403);
      expect((await t.call('PUT', `${base}/${rule.id}`, { headers, body: { name: 'x' } })).status).toBe(403);
      expect((await t.call('POST', `${base}/${rule.id}/resume`, { headers })).status).toBe(403);
      expect((await t.call('DELETE', `${base}/${rule.id}`, { headers })).status).toBe(403);
      expect((await t.call('POST', `${base}/${rule.id}/dry-run`, { headers })).status).toBe(200);
      expect((await t.call('GET', `${base}/${rule.id}/health`, { headers })).status).toBe(200);
    }
    expect((await t.call('GET', base)).status).toBe(401);
  });
});
