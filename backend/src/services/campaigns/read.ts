/** @module Reading campaigns: the list, one campaign with its latest version, its history. */
import { and, asc, count, desc, eq, ilike, or, type SQL } from 'drizzle-orm';
import type { Campaign, CampaignStatus, CampaignVersion, CampaignWithVersion } from '@fixpoint/protocol';
import type { AppContext } from '../../context';
import { campaigns, campaignVersions } from '../../db/schema';
import { toCampaign, toCampaignVersion, toCampaignWithVersion } from './convert';
import { requireCampaignRow, requireCampaignVersionRow } from './lookup';

export interface ListCampaignsInput {
  /** Matches name or slug, case-insensitively, anywhere in the text. */
  q?: string | undefined;
  status?: CampaignStatus | undefined;
  limit: number;
  offset: number;
}

const likePattern = (text: string) => `%${text.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;

export async function listCampaigns(ctx: AppContext, input: ListCampaignsInput): Promise<{ items: Campaign[]; total: number; next: number | null }> {
  const conditions: (SQL | undefined)[] = [];
  if (input.status) conditions.push(eq(campaigns.status, input.status));
  if (input.q) conditions.push(or(ilike(campaigns.name, likePattern(input.q)), ilike(campaigns.slug, likePattern(input.q))));
  const where = and(...conditions);
  const rows = await ctx.db.select().from(campaigns).where(where).orderBy(asc(campaigns.name), asc(campaigns.slug)).limit(input.limit).offset(input.offset);
  const [{ total } = { total: 0 }] = await ctx.db.select({ total: count() }).from(campaigns).where(where);
  const end = input.offset + rows.length;
  return { items: rows.map(toCampaign), total, next: end < total ? end : null };
}

export async function getCampaign(ctx: AppContext, input: { idOrSlug: string }): Promise<CampaignWithVersion> {
  const row = await requireCampaignRow(ctx.db, input.idOrSlug);
  return toCampaignWithVersion(row, await requireCampaignVersionRow(ctx.db, row));
}

export async function getCampaignVersion(ctx: AppContext, input: { idOrSlug: string; version: number }): Promise<CampaignVersion> {
  const row = await requireCampaignRow(ctx.db, input.idOrSlug);
  return toCampaignVersion(await requireCampaignVersionRow(ctx.db, row, input.version));
}

/** Versions newest first, with their content (a definition is at most a few hundred KB, usually a few KB). */
export async function listCampaignVersions(
  ctx: AppContext,
  input: { idOrSlug: string; limit: number; offset: number },
): Promise<{ items: CampaignVersion[]; total: number; next: number | null }> {
  const row = await requireCampaignRow(ctx.db, input.idOrSlug);
  const rows = await ctx.db
    .select()
    .from(campaignVersions)
    .where(eq(campaignVersions.campaignId, row.id))
    .orderBy(desc(campaignVersions.version))
    .limit(input.limit)
    .offset(input.offset);
  const end = input.offset + rows.length;
  return { items: rows.map(toCampaignVersion), total: row.latestVersion, next: end < row.latestVersion ? end : null };
}
