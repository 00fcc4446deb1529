import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expireCampaignRequests, recordResponse, startCampaignSweeper } from '../services/campaigns';
import { auditEntries } from '../testing/actions';
import { createScopedRole, insertDevice, publishedCampaign } from '../testing/campaigns';
import { createTestBackend, type TestBackend } from '../testing/harness';
import { rawQuery } from '../testing/identity';

describe('campaign responses, export and results', () => {
  let t: TestBackend;
  let author: Record<string, string>;
  let support: Record<string, string>;
  const devices: string[] = [];
  const requests: string[] = [];

  beforeAll(async () => {
    t = await createTestBackend();
    author = await t.as('author');
    support = await t.as('support');
    await publishedCampaign(t, author);
    for (let i = 0; i < 6; i++) devices.push(await insertDevice(t, { name: `pc-${i}`, tags: [i < 3 ? 'site:paris' : 'site:lyon'] }));
    const res = await t.call('POST', '/api/v1/campaigns/laptop-survey/trigger', {
      headers: support,
      body: { devices, parameters: { deadline: '=cmd|calc' } },
    });
    for (const r of res.body.results) requests.push(r.requests[0].requestId);
  });
  afterAll(() => t.close());

  const respond = (i: number, input: Record<string, unknown>) =>
    recordResponse(t.ctx, { requestId: requests[i]!, deviceId: devices[i]!, state: 'fully', ...input } as any);
  const failure = async (promise: Promise<unknown>) => promise.then(() => null, (e: any) => ({ status: e.status, code: e.code, message: e.message }));

  it('records a full response that follows the branching and closes the request', async () => {
    const saved = await respond(0, { answers: { satisfied: ['yes'], nps: ['10'] }, user: 'Ana', language: 'fr', respondedAt: new Date('2030-01-01T10:00:00Z') });
    expect(saved).toMatchObject({ state: 'fully', deviceId: devices[0], user: 'Ana', language: 'fr', campaignVersion: 1, parameters: { deadline: '=cmd|calc', device: 'your computer' } });
    expect(await failure(respond(0, { answers: {} }))).toMatchObject({ status: 409, message: expect.stringMatching(/is answered/) });
    const listed = await t.call('GET', `/api/v1/campaigns/laptop-survey/requests?deviceId=${devices[0]}`, { headers: support });
    expect(listed.body.items[0]).toMatchObject({ status: 'answered', closedAt: expect.any(String) });
  });

  it('keeps a postponed request pending until the real answer', async () => {
    await respond(1, { state: 'postponed' });
    const saved = await respond(1, {
      answers: { satisfied: ['no'], why: ['slow', 'crashes'], nps: ['3'], rating: ['2'] },
      freeText: { details: '=HYPERLINK("http://evil.test","click")', improve: 'more "RAM", please\nand a new battery' },
    });
    expect(saved.state).toBe('fully');
    await respond(2, { state: 'declined', answers: { satisfied: ['no'] } });
    await respond(3, { answers: { satisfied: ['yes'], nps: ['8'], rating: ['4'] }, freeText: { improve: 'faster' } });
  });

  it('refuses answers that do not fit the campaign, without writing anything', async () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ answers: { ghost: ['x'] } }, /there is no question ghost/],
      [{ answers: { satisfied: ['maybe'] } }, /maybe is not one of its choices/],
      [{ state: 'declined', answers: { satisfied: ['no'], why: [] } }, /choose at least one answer/],
      [{ answers: { satisfied: ['yes'], nps: ['11'] } }, /outside 0–10/],
      [{ state: 'timeout', answers: { satisfied: ['no'], why: ['slow'] }, freeText: { details: 'x'.repeat(501) } }, /longer than 500/],
      [{ answers: { satisfied: ['yes'], why: ['slow'], nps: ['9'] } }, /why is not on the path/],
      [{ answers: { satisfied: ['yes'] } }, /question nps needs an answer/],
      [{ answers: { satisfied: 'yes' } }, /malformed/],
      [{ answers: { satisfied: ['yes'], nps: ['9'] }, user: 'a\u0000b' }, /NUL/],
      [{ state: 'happy' }, /malformed/],
    ];
    for (const [input, message] of cases) {
      const error = await failure(respond(4, input));
      expect(error, JSON.stringify(input)).toMatchObject({ status: 400, code: 'validation_failed', message: expect.stringMatching(message) });
    }
    const other = await failure(recordResponse(t.ctx, { requestId: requests[4]!, deviceId: devices[5]!, state: 'no_user' }));
    expect(other).toMatchObject({ status: 404 });
    expect(await failure(recordResponse(t.ctx, { requestId: 'nope', deviceId: devices[4]!, state: 'no_user' }))).toMatchObject({ status: 404 });
    const listed = await t.call('GET', `/api/v1/campaigns/laptop-survey/responses`, { headers: author });
    expect(listed.body.items.filter((r: any) => r.deviceId === devices[4])).toEqual([]);
  });

  it('lists responses newest first, filtered by state and paged', async () => {
    const all = await t.call('GET', '/api/v1/campaigns/laptop-survey/responses?limit=2', { headers: author });
    expect(all.status).toBe(200);
    expect(all.body.total).toBe(5);
    expect(all.body.next).toBe(2);
    const declined = await t.call('GET', '/api/v1/campaigns/laptop-survey/responses?state=declined', { headers: author });
    expect(declined.body.items).toEqual([expect.objectContaining({ deviceId: devices[2], answers: { satisfied: ['no'] }, state: 'declined' })]);
    expect((await t.call('GET', '/api/v1/campaigns/laptop-survey/responses?state=bogus', { headers: author })).status).toBe(400);
  });

  it('exports CSV with quoting and spreadsheet formulas made inert', async () => {
    const res = await t.app.request('/api/v1/campaigns/laptop-survey/responses/export?format=csv', { headers: author });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="laptop-survey-responses.csv"');
    const text = await res.text();
    const [header] = text.split('\r\n');
    expect(header).toBe(
      '"response_id","request_id","device_id","device_name","user","state","version","language","triggered_at","responded_at","received_at","param:deadline","param:device","satisfied","why","details","nps","improve","rating"',
    );
    expect(text).toContain(`"'=HYPERLINK(""http://evil.test"",""click"")"`);
    expect(text).toContain(`"'=cmd|calc"`);
    expect(text).toContain('"more ""RAM"", please\nand a new battery"');
    expect(text).toContain('"slow;crashes"');
    expect(text).not.toMatch(/(^|,)"[=+\-@]/m);
    const json = await t.call('GET', '/api/v1/campaigns/laptop-survey/responses/export?format=json&state=fully', { headers: author });
    expect(json.body.map((r: any) => r.state)).toEqual(['fully', 'fully', 'fully']);
    expect((await t.call('GET', '/api/v1/campaigns/laptop-survey/responses/export?format=xml', { headers: author })).status).toBe(400);
  });

  it('summarizes states, choices, scales and the NPS score', async () => {
    const res = await t.call('GET', '/api/v1/campaigns/laptop-survey/results', { headers: author });
    expect(res.status).toBe(200);
    expect(res.body.requests).toEqual({ total: 6, pending: 2, answered: 4, expired: 0, canceled: 0 });
    expect(res.body.states).toMatchObject({ fully: 3, declined: 1, postponed: 0 });
    const q = Object.fromEntries(res.body.questions.map((x: any) => [x.id, x]));
    expect(q.satisfied).toMatchObject({ answered: 4, counts: { yes: 2, no: 2 } });
    expect(q.why).toMatchObject({ answered: 1, counts: { slow: 1, crashes: 1, battery: 0 } });
    expect(q.nps).toMatchObject({ answered: 3, average: 7, nps: { promoters: 1, passives: 1, detractors: 1, score: 0 } });
    expect(q.nps.counts).toMatchObject({ '3': 1, '8': 1, '10': 1, '0': 0 });
    expect(q.rating).toMatchObject({ answered: 2, average: 3, counts: { '1': 0, '2': 1, '3': 0, '4': 1, '5': 0 } });
    expect(q.improve).toMatchObject({ answered: 2 });
    expect(q.details).toMatchObject({ answered: 1 });
    expect(q.intro).toBeUndefined();
  });

  it('expires pending requests past their expiry, with an expired response and an audit entry', async () => {
    const sweeper = startCampaignSweeper(t.ctx, { intervalMs: 3_600_000 });
    expect(await sweeper.tick()).toBe(0);
    // moved back in the database rather than the clock forward, so the callers' tokens stay valid
    await rawQuery(t, "update campaign_requests set expires_at = now() - interval '1 minute' where status = 'pending'");
    expect(await sweeper.tick()).toBe(2);
    await sweeper.stop();
    expect(await expireCampaignRequests(t.ctx)).toBe(0);
    expect(await failure(respond(4, { state: 'no_user' }))).toMatchObject({ status: 409, message: expect.stringMatching(/is expired/) });
    const results = await t.call('GET', '/api/v1/campaigns/laptop-survey/results', { headers: author });
    expect(results.body.requests).toMatchObject({ pending: 0, expired: 2 });
    expect(results.body.states.expired).toBe(2);
    expect(await auditEntries(t, 'campaign.requests.expire')).toEqual([expect.objectContaining({ actor: 'system', details: { count: 2 } })]);
  });

  it('limits responses and results to the reader scope and to campaigns:edit', async () => {
    await createScopedRole(t, 'paris-author', ['campaigns:edit'], { all: false, tags: ['site:paris'], platforms: [] });
    const paris = await t.as('paris-author');
    const listed = await t.call('GET', '/api/v1/campaigns/laptop-survey/responses', { headers: paris });
    expect(new Set(listed.body.items.map((r: any) => r.deviceId))).toEqual(new Set(devices.slice(0, 3)));
    const results = await t.call('GET', '/api/v1/campaigns/laptop-survey/results', { headers: paris });
    expect(results.body.requests.total).toBe(3);
    for (const path of ['responses', 'responses/export', 'results']) {
      expect((await t.call('GET', `/api/v1/campaigns/laptop-survey/${path}`, { headers: support })).status, path).toBe(403);
      expect((await t.call('GET', `/api/v1/campaigns/laptop-survey/${path}`)).status, path).toBe(401);
    }
  });
  it('lists one device\'s responses across campaigns, within the reader scope', async () => {
    const own = await t.call('GET', `/api/v1/devices/${devices[1]}/campaign-responses`, { headers: author });
    expect(own.status).toBe(200);
    // The postponed answer and the full one that followed, newest first.
    expect(own.body.items.map((r: any) => r.state)).toEqual(['fully', 'postponed']);
    expect(own.body.items[0]).toMatchObject({ campaignSlug: 'laptop-survey', campaignName: 'Laptop survey', deviceId: devices[1], answers: { satisfied: ['no'] } });
    const paged = await t.call('GET', `/api/v1/devices/${devices[1]}/campaign-responses?limit=1`, { headers: author });
    expect(paged.body).toMatchObject({ total: 2, next: 1 });
    const quiet = await insertDevice(t, { name: 'pc-quiet', tags: ['site:paris'] });
    expect((await t.call('GET', `/api/v1/devices/${quiet}/campaign-responses`, { headers: author })).body).toMatchObject({ items: [], total: 0, next: null });

    const paris = await t.as('paris-author');
    expect((await t.call('GET', `/api/v1/devices/${devices[0]}/campaign-responses`, { headers: paris })).status).toBe(200);
    expect((await t.call('GET', `/api/v1/devices/${devices[4]}/campaign-responses`, { headers: paris })).status).toBe(404);
    expect((await t.call('GET', `/api/v1/devices/${devices[0]}/campaign-responses`, { headers: support })).status).toBe(403);
    expect((await t.call('GET', `/api/v1/devices/not-a-uuid/campaign-responses`, { headers: author })).status).toBe(400);
    expect((await t.call('GET', `/api/v1/devices/${devices[0]}/campaign-responses?limit=0`, { headers: author })).status).toBe(400);
  });
});
