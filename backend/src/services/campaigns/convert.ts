/** @module Converters from campaign rows to the wire shapes in `@fixpoint/protocol` (dates as ISO strings). */
import {
  campaignWarnings,
  type Campaign,
  type CampaignRequest,
  type CampaignResponse,
  type CampaignVersion,
  type CampaignWithVersion,
} from '@fixpoint/protocol';
import type { campaignRequests, campaignResponses, campaigns, campaignVersions } from '../../db/schema';

export type CampaignRow = typeof campaigns.$inferSelect;
export type CampaignVersionRow = typeof campaignVersions.$inferSelect;
export type CampaignRequestRow = typeof campaignRequests.$inferSelect;
export type CampaignResponseRow = typeof campaignResponses.$inferSelect;

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function toCampaign(row: CampaignRow): Campaign {
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    description: row.description,
    status: row.status,
    latestVersion: row.latestVersion,
    publishedVersion: row.publishedVersion,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    publishedAt: iso(row.publishedAt),
    retiredAt: iso(row.retiredAt),
  };
}

export function toCampaignVersion(row: CampaignVersionRow): CampaignVersion {
  return {
    ...row.definition,
    id: row.id,
    campaignId: row.campaignId,
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    createdBy: row.createdBy,
  };
}

export function toCampaignWithVersion(row: CampaignRow, version: CampaignVersionRow): CampaignWithVersion {
  return { ...toCampaign(row), current: toCampaignVersion(version), warnings: campaignWarnings(version.definition) };
}

export function toCampaignRequest(row: CampaignRequestRow, version: number): CampaignRequest {
  return {
    id: row.id,
    campaignId: row.campaignId,
    campaignVersion: version,
    deviceId: row.deviceId,
    targetUser: row.targetUser,
    parameters: row.parameters,
    status: row.status,
    requestedBy: row.requestedBy,
    createdAt: row.createdAt.toISOString(),
    expiresAt: row.expiresAt.toISOString(),
    closedAt: iso(row.closedAt),
  };
}

/** A response with what its request adds: the parameters it was sent with and when it was triggered. */
export function toCampaignResponse(
  row: CampaignResponseRow,
  request: Pick<CampaignRequestRow, 'parameters' | 'createdAt'>,
  version: number,
): CampaignResponse {
  return {
    id: row.id,
    requestId: row.requestId,
    campaignId: row.campaignId,
    campaignVersion: version,
    deviceId: row.deviceId,
    state: row.state,
    answers: row.answers as Record<string, string[]>,
    freeText: row.freeText,
    parameters: request.parameters,
    user: row.user,
    language: row.language,
    triggeredAt: request.createdAt.toISOString(),
    respondedAt: iso(row.respondedAt),
    receivedAt: row.receivedAt.toISOString(),
  };
}
