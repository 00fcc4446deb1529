/** @module Create and edit: every edit is a new immutable version; identical content adds none. */
import { eq } from 'drizzle-orm';
import { canonicalJson, type CampaignDefinition, type CampaignWithVersion } from '@fixpoint/protocol';
import type { AppContext } from '../../context';
import { campaigns, campaignVersions } from '../../db/schema';
import { badRequest, conflict } from '../../errors';
import { appendAudit } from '../audit';
import { toCampaignWithVersion } from './convert';
import { requireCampaignRow, requireCampaignVersionRow } from './lookup';

export interface CreateCampaignInput {
  /** Audit label of the caller, e.g. `user:ana@example.com`. */
  actor: string;
  definition: CampaignDefinition;
}

/** Creates a draft campaign with its version 1. A taken slug is a 409. */
export async function createCampaign(ctx: AppContext, input: CreateCampaignInput): Promise<CampaignWithVersion> {
  const { definition } = input;
  return ctx.db.transaction(async (tx) => {
    const now = ctx.now();
    const [row] = await tx
      .insert(campaigns)
      .values({ slug: definition.slug, name: definition.name, description: definition.description, latestVersion: 1, createdAt: now, updatedAt: now })
      .onConflictDoNothing({ target: campaigns.slug })
      .returning();
    if (!row) throw conflict(`a campaign with slug ${definition.slug} already exists; edit it with PUT /api/v1/campaigns/${definition.slug}`);
    const [version] = await tx.insert(campaignVersions).values({ campaignId: row.id, version: 1, definition, createdAt: now, createdBy: input.actor }).returning();
    await appendAudit(tx, { actor: input.actor, action: 'campaign.create', target: `campaign:${row.slug}`, details: { version: 1, name: definition.name } }, now);
    return toCampaignWithVersion(row, version!);
  });
}

export interface UpdateCampaignInput {
  actor: string;
  idOrSlug: string;
  /** The full new content; the slug may be left out, and when given must be the campaign's own. */
  definition: Omit<CampaignDefinition, 'slug'> & { slug?: string | undefined };
  /** The version the caller edited (from `If-Match`); another latest version means someone saved first. */
  ifMatch?: number | undefined;
}

/**
 * Saves a new version. A published campaign keeps sending its published version until it is republished, so an
 * edit never changes what users are being asked.
 */
export async function updateCampaign(ctx: AppContext, input: UpdateCampaignInput): Promise<{ campaign: CampaignWithVersion; changed: boolean }> {
  return ctx.db.transaction(async (tx) => {
    const row = await requireCampaignRow(tx, input.idOrSlug, { lock: 'update' });
    if (input.definition.slug !== undefined && input.definition.slug !== row.slug)
      throw badRequest(`the slug of a campaign cannot change (this one is ${row.slug}); create a new campaign for ${input.definition.slug}`);
    if (input.ifMatch !== undefined && input.ifMatch !== row.latestVersion)
      throw conflict(`campaign ${row.slug} is at version ${row.latestVersion}, not ${input.ifMatch}: someone saved it meanwhile; reload and apply your change again`, {
        latestVersion: row.latestVersion,
      });
    const latest = await requireCampaignVersionRow(tx, row);
    const definition: CampaignDefinition = { ...input.definition, slug: row.slug };
    if (canonicalJson(definition) === canonicalJson(latest.definition)) return { campaign: toCampaignWithVersion(row, latest), changed: false };
    const now = ctx.now();
    const next = row.latestVersion + 1;
    const [version] = await tx.insert(campaignVersions).values({ campaignId: row.id, version: next, definition, createdAt: now, createdBy: input.actor }).returning();
    const [updated] = await tx
      .update(campaigns)
      .set({ name: definition.name, description: definition.description, latestVersion: next, updatedAt: now })
      .where(eq(campaigns.id, row.id))
      .returning();
    await appendAudit(
      tx,
      { actor: input.actor, action: 'campaign.update', target: `campaign:${row.slug}`, details: { version: next, previousVersion: row.latestVersion, status: row.status } },
      now,
    );
    return { campaign: toCampaignWithVersion(updated!, version!), changed: true };
  });
}
