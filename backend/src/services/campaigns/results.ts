/**
 * @module Results of a campaign: requests per status, the latest response state per request, and per question the
 * count of each choice or value, the average of scales and the NPS score. Aggregated in SQL, so it costs the same
 * for ten responses as for a hundred thousand.
 */
import { and, desc, eq, sql, type SQL } from 'drizzle-orm';
import {
  campaignRequestStatuses,
  npsBand,
  responseStates,
  type CampaignResults,
  type Question,
  type QuestionResult,
} from '@fixpoint/protocol';
import type { AppContext } from '../../context';
import { rowsOf } from '../../db/rows';
import { campaignRequests, campaignResponses, campaignVersions, devices } from '../../db/schema';
import type { Principal } from '../identity/rights';
import { requireCampaignRow } from './lookup';
import { deviceScopeCondition } from '../devices/scope';

function questionResult(q: Question, counts: Record<string, number>, answered: number): QuestionResult {
  const base: QuestionResult = { id: q.id, type: q.type, answered, counts, average: null };
  if (q.type === 'single' || q.type === 'multiple') {
    // every choice appears, with 0 when nobody picked it
    base.counts = Object.fromEntries(q.choices.map((ch) => [ch.id, counts[ch.id] ?? 0]));
    return base;
  }
  if (q.type !== 'scale' && q.type !== 'nps') return base;
  const [min, max] = q.type === 'scale' ? [q.min, q.max] : [0, 10];
  base.counts = Object.fromEntries(Array.from({ length: max - min + 1 }, (_, i) => [String(min + i), counts[String(min + i)] ?? 0]));
  const values = Object.entries(base.counts);
  const n = values.reduce((sum, [, c]) => sum + c, 0);
  base.average = n ? Math.round((values.reduce((sum, [v, c]) => sum + Number(v) * c, 0) / n) * 100) / 100 : null;
  if (q.type === 'nps') {
    const bands = { promoter: 0, passive: 0, detractor: 0 };
    for (const [v, c] of values) bands[npsBand(Number(v))] += c;
    const score = n ? Math.round(((bands.promoter - bands.detractor) / n) * 1000) / 10 : null;
    base.nps = { promoters: bands.promoter, passives: bands.passive, detractors: bands.detractor, score };
  }
  return base;
}

export async function campaignResults(ctx: AppContext, input: { idOrSlug: string; principal: Pick<Principal, 'scopes'> }): Promise<CampaignResults> {
  const row = await requireCampaignRow(ctx.db, input.idOrSlug);
  const scope: SQL = deviceScopeCondition(input.principal) ?? sql`true`;

  const requestRows = await ctx.db
    .select({ status: campaignRequests.status, n: sql<number>`count(*)::int` })
    .from(campaignRequests)
    .innerJoin(devices, eq(devices.id, campaignRequests.deviceId))
    .where(and(eq(campaignRequests.campaignId, row.id), scope))
    .groupBy(campaignRequests.status);
  const requests = Object.fromEntries(['total', ...campaignRequestStatuses].map((s) => [s, 0])) as CampaignResults['requests'];
  for (const r of requestRows) {
    requests[r.status] = r.n;
    requests.total += r.n;
  }

  // the latest response of each request: a postponed prompt answered later counts once, as answered
  const latest = sql`(select distinct on (${campaignResponses.requestId}) ${campaignResponses.state} as state, ${campaignResponses.answers} as answers, ${campaignResponses.freeText} as free_text
    from ${campaignResponses} join ${devices} on ${devices.id} = ${campaignResponses.deviceId}
    where ${campaignResponses.campaignId} = ${row.id} and ${scope}
    order by ${campaignResponses.requestId}, ${campaignResponses.receivedAt} desc, ${campaignResponses.id} desc) latest`;
  const stateRows = rowsOf<{ state: string; n: number }>(await ctx.db.execute(sql`select state, count(*)::int as n from ${latest} group by state`));
  const states = Object.fromEntries(responseStates.map((s) => [s, 0])) as CampaignResults['states'];
  for (const r of stateRows) if (r.state in states) states[r.state as keyof typeof states] = r.n;

  const valueRows = rowsOf<{ q: string; v: string; n: number }>(
    await ctx.db.execute(sql`select a.key as q, v.value as v, count(*)::int as n
      from ${latest}, jsonb_each(latest.answers) a, jsonb_array_elements_text(a.value) v group by 1, 2`),
  );
  const answeredRows = rowsOf<{ q: string; n: number }>(
    await ctx.db.execute(sql`select q, count(*)::int as n from (
        select a.key as q from ${latest}, jsonb_each(latest.answers) a where jsonb_array_length(a.value) > 0
        union all
        select t.key from ${latest}, jsonb_each_text(latest.free_text) t where btrim(t.value) <> ''
      ) answered group by q`),
  );
  const counts = new Map<string, Record<string, number>>();
  for (const r of valueRows) counts.set(r.q, { ...counts.get(r.q), [r.v]: r.n });
  const answered = new Map(answeredRows.map((r) => [r.q, r.n]));

  // questions as the published (or latest) version asks them
  const [version] = await ctx.db
    .select({ definition: campaignVersions.definition })
    .from(campaignVersions)
    .where(and(eq(campaignVersions.campaignId, row.id), eq(campaignVersions.version, row.publishedVersion ?? row.latestVersion)))
    .orderBy(desc(campaignVersions.version))
    .limit(1);
  const questions = (version?.definition.questions ?? []).filter((q) => q.type !== 'info').map((q) => questionResult(q, counts.get(q.id) ?? {}, answered.get(q.id) ?? 0));
  return { campaignId: row.id, requests, states, questions };
}
