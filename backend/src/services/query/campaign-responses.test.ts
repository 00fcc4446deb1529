import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { devices } from '../../db/schema';
import { insertDevice, publishedCampaign } from '../../testing/campaigns';
import { createTestBackend, type TestBackend } from '../../testing/harness';
import { recordResponse } from '../campaigns';
import { runQuery } from './run';

describe.each(['pglite', 'postgres'] as const)('campaign_responses in the query language (%s)', (database) => {
  let t: TestBackend;
  const run = (query: string, scopeCondition?: ReturnType<typeof sql>) => runQuery(t.ctx, { query, scopeCondition });

  beforeAll(async () => {
    t = await createTestBackend({ database });
    const author = await t.as('author');
    await publishedCampaign(t, author);
    const support = await t.as('support');
    const people = [
      { name: 'paris-1', platform: 'windows', tags: ['site:paris'], state: 'fully', answers: { satisfied: ['no'], why: ['slow', 'battery'], nps: ['9'] }, freeText: { details: 'speed' } },
      { name: 'paris-2', platform: 'macos', tags: ['site:paris'], state: 'declined', answers: {}, freeText: {} },
      { name: 'lyon-1', platform: 'windows', tags: ['site:lyon'], state: 'fully', answers: { satisfied: ['yes'], nps: ['10'] }, freeText: {} },
    ] as const;
    for (const p of people) {
      const id = await insertDevice(t, { name: p.name, platform: p.platform, tags: [...p.tags], user: 'ana' });
      const res = await t.call('POST', '/api/v1/campaigns/laptop-survey/trigger', { headers: support, body: { devices: [id], parameters: { deadline: 'Friday' } } });
      const requestId = res.body.results[0].requests[0].requestId;
      if (p.name === 'paris-2') await recordResponse(t.ctx, { requestId, deviceId: id, state: 'postponed', user: 'ana' });
      await recordResponse(t.ctx, { requestId, deviceId: id, state: p.state, answers: { ...p.answers }, freeText: { ...p.freeText }, user: 'ana' });
    }
  }, 120_000);
  afterAll(() => t?.close());

  it('filters by campaign, state and answers, and reads the device', async () => {
    const result = await run('campaign_responses | where campaign == "laptop-survey" and answers.satisfied contains "no" | list device.name, state, answers.why, answers.details');
    expect(result.columns.map((c) => [c.name, c.type])).toEqual([
      ['device.name', 'string'],
      ['state', 'string'],
      ['answers.why', 'string-list'],
      ['answers.details', 'string-list'],
    ]);
    expect(result.rows).toEqual([['paris-1', 'fully', ['slow', 'battery'], ['speed']]]);
    expect((await run('campaign_responses | summarize count() by state | sort state')).rows).toEqual([
      ['declined', 1],
      ['fully', 2],
      ['postponed', 1],
    ]);
    expect((await run('campaign_responses | where state == "fully" | summarize count() by device.platform | sort device.platform')).rows).toEqual([['windows', 2]]);
    expect((await run('campaign_responses during past 1h | where answers.nps in ("10", "0") | list device.name')).rows).toEqual([['lyon-1']]);
  });

  it('holds to the device scope and rejects what it does not know', async () => {
    const paris = sql`${devices.tags} && array['site:paris']::text[]`;
    expect((await run('campaign_responses | summarize count()', paris)).rows).toEqual([[3]]);
    await expect(run('campaign_responses | where state == "exploded"')).rejects.toThrow(/state/);
    await expect(run('campaign_responses | where answers == "x"')).rejects.toThrow(/unknown field 'answers'/);
  });
});
