/** @module A device's campaign responses across every campaign, newest first, for the device page. */
import { count, desc, eq } from 'drizzle-orm';
import type { DeviceCampaignResponse } from '@fixpoint/protocol';
import type { AppContext } from '../../context';
import { campaignRequests, campaignResponses, campaigns, campaignVersions } from '../../db/schema';
import type { Principal } from '../identity/rights';
import { getDevice } from '../devices/read';
import { toCampaignResponse } from './convert';

export interface ListDeviceResponsesInput {
  deviceId: string;
  /** A device outside this principal's scope is not found, as on the device routes. */
  principal: Principal;
  limit: number;
  offset: number;
}

export async function listDeviceResponses(
  ctx: AppContext,
  input: ListDeviceResponsesInput,
): Promise<{ items: DeviceCampaignResponse[]; total: number; next: number | null }> {
  const device = await getDevice(ctx, { principal: input.principal, id: input.deviceId });
  const where = eq(campaignResponses.deviceId, device.id);
  const rows = await ctx.db
    .select({
      response: campaignResponses,
      parameters: campaignRequests.parameters,
      triggeredAt: campaignRequests.createdAt,
      version: campaignVersions.version,
      slug: campaigns.slug,
      name: campaigns.name,
    })
    .from(campaignResponses)
    .innerJoin(campaignRequests, eq(campaignRequests.id, campaignResponses.requestId))
    .innerJoin(campaignVersions, eq(campaignVersions.id, campaignResponses.campaignVersionId))
    .innerJoin(campaigns, eq(campaigns.id, campaignResponses.campaignId))
    .where(where)
    .orderBy(desc(campaignResponses.receivedAt), desc(campaignResponses.id))
    .limit(input.limit)
    .offset(input.offset);
  const [{ total } = { total: 0 }] = await ctx.db.select({ total: count() }).from(campaignResponses).where(where);
  const end = input.offset + rows.length;
  return {
    items: rows.map((r) => ({
      ...toCampaignResponse(r.response, { parameters: r.parameters, createdAt: r.triggeredAt }, r.version),
      campaignSlug: r.slug,
      campaignName: r.name,
    })),
    total,
    next: end < total ? end : null,
  };
}
