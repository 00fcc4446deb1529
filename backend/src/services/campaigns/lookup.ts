import { and, eq, type SQL } from 'drizzle-orm';
import type { Db, Tx } from '../../db';
import { campaigns, campaignVersions } from '../../db/schema';
import { notFound } from '../../errors';
import type { CampaignRow, CampaignVersionRow } from './convert';

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The condition selecting a campaign by id or slug; only UUID-shaped text is compared with the uuid column. */
export function campaignRef(idOrSlug: string): SQL {
  return uuidPattern.test(idOrSlug) ? eq(campaigns.id, idOrSlug.toLowerCase()) : eq(campaigns.slug, idOrSlug);
}

/**
 * Finds a campaign by id or slug, or throws 404. `lock: 'update'` serializes writers of one campaign (edits,
 * lifecycle changes); `lock: 'share'` lets triggers run side by side while keeping a retire from slipping between.
 */
export async function requireCampaignRow(db: Db | Tx, idOrSlug: string, options: { lock?: 'update' | 'share' } = {}): Promise<CampaignRow> {
  const query = db.select().from(campaigns).where(campaignRef(idOrSlug));
  const [row] = options.lock ? await query.for(options.lock) : await query;
  if (!row) throw notFound(`campaign ${idOrSlug}`);
  return row;
}

export async function requireCampaignVersionRow(db: Db | Tx, campaign: CampaignRow, version = campaign.latestVersion): Promise<CampaignVersionRow> {
  const [row] = await db
    .select()
    .from(campaignVersions)
    .where(and(eq(campaignVersions.campaignId, campaign.id), eq(campaignVersions.version, version)));
  if (!row) throw notFound(`version ${version} of campaign ${campaign.slug}`);
  return row;
}
