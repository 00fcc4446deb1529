/**
 * @module Lifecycle: draft → published → retired. Republishing sends the latest version from then on (after edits to
 * a published campaign, or to bring a retired one back). Only a draft can be deleted; anything that was published
 * has requests and responses that must stay readable.
 */
import { and, eq } from 'drizzle-orm';
import type { CampaignWithVersion } from '@fixpoint/protocol';
import type { AppContext } from '../../context';
import { campaignRequests, campaigns } from '../../db/schema';
import { conflict } from '../../errors';
import { appendAudit } from '../audit';
import { toCampaignWithVersion, type CampaignRow } from './convert';
import { requireCampaignRow, requireCampaignVersionRow } from './lookup';

export interface LifecycleInput {
  actor: string;
  idOrSlug: string;
}

async function setPublished(ctx: AppContext, input: LifecycleInput, allowed: (row: CampaignRow) => string | null, action: string) {
  const result = await ctx.db.transaction(async (tx) => {
    const row = await requireCampaignRow(tx, input.idOrSlug, { lock: 'update' });
    const refusal = allowed(row);
    if (refusal) throw conflict(refusal);
    const now = ctx.now();
    const [updated] = await tx
      .update(campaigns)
      .set({ status: 'published', publishedVersion: row.latestVersion, publishedAt: now, retiredAt: null, updatedAt: now })
      .where(eq(campaigns.id, row.id))
      .returning();
    await appendAudit(
      tx,
      { actor: input.actor, action, target: `campaign:${row.slug}`, details: { version: row.latestVersion, previousStatus: row.status, previousVersion: row.publishedVersion } },
      now,
    );
    return toCampaignWithVersion(updated!, await requireCampaignVersionRow(tx, updated!));
  });
  return result;
}

/** Publishes a draft: its latest version becomes what triggers send. */
export function publishCampaign(ctx: AppContext, input: LifecycleInput): Promise<CampaignWithVersion> {
  return setPublished(
    ctx,
    input,
    (row) => (row.status === 'draft' ? null : `campaign ${row.slug} is ${row.status}; use POST /api/v1/campaigns/${row.slug}/republish to publish its latest version`),
    'campaign.publish',
  );
}

/** Publishes the latest version of a published campaign that was edited since, or of a retired one. */
export function republishCampaign(ctx: AppContext, input: LifecycleInput): Promise<CampaignWithVersion> {
  return setPublished(
    ctx,
    input,
    (row) => {
      if (row.status === 'draft') return `campaign ${row.slug} is a draft; publish it with POST /api/v1/campaigns/${row.slug}/publish`;
      if (row.status === 'published' && row.publishedVersion === row.latestVersion)
        return `campaign ${row.slug} is already published at its latest version (${row.latestVersion}); edit it first`;
      return null;
    },
    'campaign.republish',
  );
}

/** Retires a published campaign: no new triggers, and requests still pending are canceled. */
export async function retireCampaign(ctx: AppContext, input: LifecycleInput): Promise<CampaignWithVersion> {
  const { campaign, deviceIds } = await ctx.db.transaction(async (tx) => {
    const row = await requireCampaignRow(tx, input.idOrSlug, { lock: 'update' });
    if (row.status !== 'published') throw conflict(`campaign ${row.slug} is ${row.status}; only a published campaign can be retired`);
    const now = ctx.now();
    const canceled = await tx
      .update(campaignRequests)
      .set({ status: 'canceled', closedAt: now })
      .where(and(eq(campaignRequests.campaignId, row.id), eq(campaignRequests.status, 'pending')))
      .returning({ deviceId: campaignRequests.deviceId });
    const [updated] = await tx.update(campaigns).set({ status: 'retired', retiredAt: now, updatedAt: now }).where(eq(campaigns.id, row.id)).returning();
    await appendAudit(
      tx,
      { actor: input.actor, action: 'campaign.retire', target: `campaign:${row.slug}`, details: { version: row.publishedVersion, canceledRequests: canceled.length } },
      now,
    );
    return { campaign: toCampaignWithVersion(updated!, await requireCampaignVersionRow(tx, updated!)), deviceIds: canceled.map((c) => c.deviceId) };
  });
  // devices holding a canceled request learn it the way they learn new ones
  if (deviceIds.length) ctx.campaignDispatcher?.notify([...new Set(deviceIds)]);
  return campaign;
}

/** Deletes a draft and its versions. */
export async function deleteCampaign(ctx: AppContext, input: LifecycleInput): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    const row = await requireCampaignRow(tx, input.idOrSlug, { lock: 'update' });
    if (row.status !== 'draft') throw conflict(`campaign ${row.slug} is ${row.status}; only a draft can be deleted (retire it instead)`);
    await tx.delete(campaigns).where(eq(campaigns.id, row.id));
    await appendAudit(tx, { actor: input.actor, action: 'campaign.delete', target: `campaign:${row.slug}`, details: { versions: row.latestVersion } }, ctx.now());
  });
}
