/**
 * @module The campaign schedule runner: each enabled standing trigger, at most once per `everyMs` (a minute, so a
 * device that starts matching gets its request within a minute of the scheduler's next tick), sends its
 * campaign to the devices its query selects (within its saved query, read again at each run, so the category is
 * dynamic) and its owner's device scope that never got it (`once`) or not in
 * the last `repeatAfterDays` (`repeat`), with the owner's rights. An owner who is gone or lost `campaigns:trigger`
 * (or none at all) pauses the trigger instead.
 */
import { and, eq, gt, isNull, lte, or, type SQL } from 'drizzle-orm';
import type { AppContext } from '../../context';
import { anyId } from '../../db/any-id';
import { campaignRequests, campaignSchedules } from '../../db/schema';
import { appendAudit } from '../audit';
import { actAsOwner, matchDevicePages, mayTriggerCampaigns, ownerOf, parseDeviceTarget, savedTargetCondition } from '../automation';
import { deviceScopeCondition } from '../devices/scope';
import { triggerCampaign } from './trigger';

type Row = typeof campaignSchedules.$inferSelect;

/** Devices per trigger; a target may select more, sent in several triggers. */
const pageSize = 1000;

/** Runs every standing trigger whose last run is at least `everyMs` old (default one minute); returns how many ran. */
export async function runCampaignSchedules(ctx: AppContext, options: { everyMs?: number } = {}): Promise<number> {
  const now = ctx.now();
  const since = new Date(now.getTime() - (options.everyMs ?? 60_000));
  const due = await ctx.db
    .select()
    .from(campaignSchedules)
    .where(and(eq(campaignSchedules.enabled, true), isNull(campaignSchedules.pausedReason), or(isNull(campaignSchedules.lastRunAt), lte(campaignSchedules.lastRunAt, since))));
  let ran = 0;
  for (const row of due) {
    if (!(await claim(ctx, row, now))) continue;
    await runOne(ctx, row, now);
    ran++;
  }
  return ran;
}

/** Moves `last_run_at` from what was read to now; false when another instance did first. */
async function claim(ctx: AppContext, row: Row, now: Date): Promise<boolean> {
  const same = row.lastRunAt ? eq(campaignSchedules.lastRunAt, row.lastRunAt) : isNull(campaignSchedules.lastRunAt);
  const claimed = await ctx.db.update(campaignSchedules).set({ lastRunAt: now }).where(and(eq(campaignSchedules.id, row.id), same)).returning({ id: campaignSchedules.id });
  return claimed.length > 0;
}

async function runOne(ctx: AppContext, row: Row, now: Date): Promise<void> {
  const label = `campaign-schedule:${row.id}`;
  const acting = await actAsOwner(ctx, label, ownerOf(row), mayTriggerCampaigns);
  if (!acting.ok) return pause(ctx, row, acting.reason, now);
  try {
    const target = parseDeviceTarget(row.query, now);
    const scope = and(deviceScopeCondition(acting.principal), await savedTargetCondition(ctx.db, row.savedQueryId, now));
    for await (const page of matchDevicePages(ctx, target, { scope, pageSize })) {
      const devices = await notAskedLately(ctx, row, page.map((d) => d.id), now);
      if (!devices.length) continue;
      await triggerCampaign(ctx, {
        principal: acting.principal,
        idOrSlug: row.campaignId,
        trigger: { devices, users: [], parameters: row.parameters, ...(row.expirySec !== null && { expirySec: row.expirySec }) },
      });
    }
  } catch (error) {
    // an unpublished campaign or a parameter it no longer takes: tried again at the next run
    ctx.log.warn('campaign schedule run failed', { schedule: row.id, error: String(error) });
  }
}

/** Of these devices, those without a request of the campaign ever (`once`) or within `repeatAfterDays`. */
async function notAskedLately(ctx: AppContext, row: Row, ids: string[], now: Date): Promise<string[]> {
  const recent: SQL | undefined =
    row.mode === 'repeat' ? gt(campaignRequests.createdAt, new Date(now.getTime() - (row.repeatAfterDays ?? 1) * 86_400_000)) : undefined;
  const asked = await ctx.db
    .selectDistinct({ deviceId: campaignRequests.deviceId })
    .from(campaignRequests)
    .where(and(eq(campaignRequests.campaignId, row.campaignId), anyId(campaignRequests.deviceId, ids), recent));
  const skip = new Set(asked.map((r) => r.deviceId));
  return ids.filter((id) => !skip.has(id));
}

async function pause(ctx: AppContext, row: Row, reason: string, now: Date): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    await tx.update(campaignSchedules).set({ pausedReason: reason, pausedAt: now }).where(eq(campaignSchedules.id, row.id));
    await appendAudit(tx, { actor: `campaign-schedule:${row.id}`, action: 'campaign.schedule.pause', target: `campaign-schedule:${row.id}`, details: { owner: row.ownerLabel, reason } }, now);
  });
  ctx.log.warn('campaign schedule paused', { schedule: row.id, reason });
}
