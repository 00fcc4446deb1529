/** @module The requests a campaign's triggers created, for following who has been asked and what is still open. */
import { and, count, desc, eq } from 'drizzle-orm';
import type { CampaignRequest, CampaignRequestStatus } from '@fixpoint/protocol';
import type { AppContext } from '../../context';
import { campaignRequests, campaignVersions, devices } from '../../db/schema';
import type { Principal } from '../identity/rights';
import { toCampaignRequest } from './convert';
import { requireCampaignRow } from './lookup';
import { deviceScopeCondition } from '../devices/scope';

export interface ListRequestsInput {
  idOrSlug: string;
  principal: Pick<Principal, 'scopes'>;
  status?: CampaignRequestStatus | undefined;
  deviceId?: string | undefined;
  limit: number;
  offset: number;
}

/** Requests newest first, on devices in the caller's scope. */
export async function listCampaignRequests(ctx: AppContext, input: ListRequestsInput): Promise<{ items: CampaignRequest[]; total: number; next: number | null }> {
  const row = await requireCampaignRow(ctx.db, input.idOrSlug);
  const where = and(
    eq(campaignRequests.campaignId, row.id),
    input.status ? eq(campaignRequests.status, input.status) : undefined,
    input.deviceId ? eq(campaignRequests.deviceId, input.deviceId.toLowerCase()) : undefined,
    deviceScopeCondition(input.principal),
  );
  const rows = await ctx.db
    .select({ request: campaignRequests, version: campaignVersions.version })
    .from(campaignRequests)
    .innerJoin(campaignVersions, eq(campaignVersions.id, campaignRequests.campaignVersionId))
    .innerJoin(devices, eq(devices.id, campaignRequests.deviceId))
    .where(where)
    .orderBy(desc(campaignRequests.createdAt), desc(campaignRequests.id))
    .limit(input.limit)
    .offset(input.offset);
  const [{ total } = { total: 0 }] = await ctx.db
    .select({ total: count() })
    .from(campaignRequests)
    .innerJoin(devices, eq(devices.id, campaignRequests.deviceId))
    .where(where);
  const end = input.offset + rows.length;
  return { items: rows.map((r) => toCampaignRequest(r.request, r.version)), total, next: end < total ? end : null };
}
