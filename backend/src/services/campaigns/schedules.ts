/**
 * @module Standing triggers stored with a campaign: a device query, optionally narrowed to a saved query, once or
 * again after N days. They are checked here when saved (the query must compile and select devices, the saved query
 * must exist and be a condition, the parameters must fit, the caller may trigger campaigns) and owned by whoever
 * saved them: a runner triggers them with the owner's rights and device scope.
 */
import { and, asc, eq } from 'drizzle-orm';
import type { CampaignSchedule, CampaignScheduleInput } from '@fixpoint/protocol';
import type { AppContext } from '../../context';
import { campaignSchedules } from '../../db/schema';
import { badRequest, notFound } from '../../errors';
import type { Principal } from '../identity/rights';
import { mayTriggerCampaigns, ownerFor, ownerOf, resolveSavedTarget, savedQueryNames } from '../automation';
import { compileQuery, parseQuery } from '../query';
import { appendAudit } from '../audit';
import { requireCampaignRow, requireCampaignVersionRow } from './lookup';
import { resolveCampaignParameters } from './parameters';

type ScheduleRow = typeof campaignSchedules.$inferSelect;

function toSchedule(row: ScheduleRow, savedName: string | undefined): CampaignSchedule {
  return {
    id: row.id,
    campaignId: row.campaignId,
    query: row.query,
    savedQuery: row.savedQueryId ? { id: row.savedQueryId, name: savedName ?? '' } : null,
    mode: row.mode,
    repeatAfterDays: row.repeatAfterDays,
    parameters: row.parameters,
    expirySec: row.expirySec,
    enabled: row.enabled,
    owner: ownerOf(row)?.label ?? null,
    pausedReason: row.pausedReason,
    pausedAt: row.pausedAt?.toISOString() ?? null,
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
    lastRunAt: row.lastRunAt?.toISOString() ?? null,
  };
}

/** A schedule's query must select devices: `where`, `sort` and `limit` only. Throws 400 with the position otherwise. */
function checkTargetQuery(ctx: AppContext, query: string): void {
  compileQuery(query, { now: ctx.now() });
  const ast = parseQuery(query);
  if (ast.table.name !== 'devices') throw badRequest(`a schedule targets devices: start the query with "devices", not "${ast.table.name}"`);
  const stage = ast.stages.find((s) => s.kind === 'list' || s.kind === 'summarize');
  if (stage) throw badRequest(`a schedule query selects devices; remove the "${stage.kind}" stage`);
}

/** Adds a standing trigger owned by the caller, who must be allowed to trigger campaigns (403 otherwise). */
export async function createCampaignSchedule(
  ctx: AppContext,
  input: { principal: Principal; idOrSlug: string; schedule: CampaignScheduleInput },
): Promise<CampaignSchedule> {
  const owner = ownerFor(input.principal, mayTriggerCampaigns, 'campaign schedule');
  checkTargetQuery(ctx, input.schedule.query);
  const saved = input.schedule.savedQuery ? await resolveSavedTarget(ctx.db, input.schedule.savedQuery, ctx.now()) : null;
  return ctx.db.transaction(async (tx) => {
    const campaign = await requireCampaignRow(tx, input.idOrSlug, { lock: 'share' });
    const version = await requireCampaignVersionRow(tx, campaign, campaign.publishedVersion ?? campaign.latestVersion);
    // checked against the version it would send today; the runner checks again when it fires
    resolveCampaignParameters(version.definition.parameters, input.schedule.parameters);
    const now = ctx.now();
    const { schedule } = input;
    const [row] = await tx
      .insert(campaignSchedules)
      .values({
        campaignId: campaign.id,
        query: schedule.query,
        savedQueryId: saved?.id ?? null,
        mode: schedule.mode,
        repeatAfterDays: schedule.repeatAfterDays ?? null,
        parameters: schedule.parameters,
        expirySec: schedule.expirySec ?? null,
        enabled: schedule.enabled,
        ...owner,
        createdBy: input.principal.label,
        createdAt: now,
      })
      .returning();
    await appendAudit(
      tx,
      {
        actor: input.principal.label,
        action: 'campaign.schedule.create',
        target: `campaign:${campaign.slug}`,
        details: { scheduleId: row!.id, query: schedule.query, savedQueryId: saved?.id ?? null, mode: schedule.mode, repeatAfterDays: schedule.repeatAfterDays ?? null, owner: owner.ownerLabel },
      },
      now,
    );
    return toSchedule(row!, saved?.name);
  });
}

export async function listCampaignSchedules(ctx: AppContext, input: { idOrSlug: string }): Promise<{ items: CampaignSchedule[]; total: number; next: null }> {
  const campaign = await requireCampaignRow(ctx.db, input.idOrSlug);
  const rows = await ctx.db.select().from(campaignSchedules).where(eq(campaignSchedules.campaignId, campaign.id)).orderBy(asc(campaignSchedules.createdAt));
  const names = await savedQueryNames(ctx.db, rows.map((r) => r.savedQueryId));
  return { items: rows.map((r) => toSchedule(r, names.get(r.savedQueryId ?? ''))), total: rows.length, next: null };
}

export async function deleteCampaignSchedule(ctx: AppContext, input: { actor: string; idOrSlug: string; scheduleId: string }): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    const campaign = await requireCampaignRow(tx, input.idOrSlug);
    const [row] = await tx
      .delete(campaignSchedules)
      .where(and(eq(campaignSchedules.id, input.scheduleId), eq(campaignSchedules.campaignId, campaign.id)))
      .returning();
    if (!row) throw notFound(`schedule ${input.scheduleId} of campaign ${campaign.slug}`);
    await appendAudit(tx, { actor: input.actor, action: 'campaign.schedule.delete', target: `campaign:${campaign.slug}`, details: { scheduleId: row.id, query: row.query } }, ctx.now());
  });
}
