/** Campaigns on real PostgreSQL: the whole flow, and the races PGlite cannot produce (it runs one statement at a time). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expireCampaignRequests, recordResponse } from '../services/campaigns';
import { insertDevice, publishedCampaign } from '../testing/campaigns';
import { createTestBackend, type TestBackend } from '../testing/harness';
import { rawQuery } from '../testing/identity';

describe('campaigns on PostgreSQL', () => {
  let t: TestBackend;
  let author: Record<string, string>;
  let support: Record<string, string>;
  const devices: string[] = [];

  beforeAll(async () => {
    t = await createTestBackend({ database: 'postgres' });
    author = await t.as('author');
    support = await t.as('support');
    for (let i = 0; i < 40; i++) devices.push(await insertDevice(t, { name: `pg-${i}`, user: i % 2 ? 'ana' : 'bob' }));
    await publishedCampaign(t, author);
  });
  afterAll(() => t.close());

  const trigger = (body: unknown) => t.call('POST', '/api/v1/campaigns/laptop-survey/trigger', { headers: support, body });

  it('queues each device exactly once under concurrent triggers', async () => {
    const bodies = Array.from({ length: 8 }, (_, i) =>
      i % 2 ? { devices, parameters: { deadline: 'x' } } : { users: ['ana', 'bob'], parameters: { deadline: 'x' } },
    );
    const results = await Promise.all(bodies.map(trigger));
    for (const r of results) expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(results.reduce((sum, r) => sum + r.body.queued, 0)).toBe(devices.length);
    const [row] = await rawQuery(t, "select count(*)::int as n, count(distinct device_id)::int as d from campaign_requests where status = 'pending'");
    expect(row).toEqual({ n: devices.length, d: devices.length });
  });

  it('accepts exactly one closing response when a device reports twice at once', async () => {
    const listed = await t.call('GET', `/api/v1/campaigns/laptop-survey/requests?deviceId=${devices[0]}`, { headers: support });
    const requestId = listed.body.items[0].id;
    const answer = () =>
      recordResponse(t.ctx, { requestId, deviceId: devices[0]!, state: 'fully', answers: { satisfied: ['yes'], nps: ['9'] } }).then(
        () => 'ok',
        (e: any) => e.status,
      );
    const outcomes = await Promise.all([answer(), answer(), answer()]);
    expect(outcomes.sort()).toEqual([409, 409, 'ok']);
    const results = await t.call('GET', '/api/v1/campaigns/laptop-survey/results', { headers: author });
    expect(results.body.requests).toMatchObject({ total: 40, answered: 1, pending: 39 });
    expect(results.body.questions.find((q: any) => q.id === 'nps').nps).toEqual({ promoters: 1, passives: 0, detractors: 0, score: 100 });
  });

  it('expires each due request once with sweepers racing', async () => {
    await rawQuery(t, "update campaign_requests set expires_at = now() - interval '1 second' where status = 'pending'");
    const counts = await Promise.all([expireCampaignRequests(t.ctx, { batchSize: 7 }), expireCampaignRequests(t.ctx, { batchSize: 7 })]);
    expect(counts[0]! + counts[1]!).toBe(39);
    const [row] = await rawQuery(t, "select count(*)::int as n from campaign_responses where state = 'expired'");
    expect(row).toEqual({ n: 39 });
    const csv = await t.app.request('/api/v1/campaigns/laptop-survey/responses/export', { headers: author });
    expect((await csv.text()).trim().split('\r\n')).toHaveLength(41);
  });
});
