/**
 * @module Campaigns as a device sees them, for the agent channel: the pending requests pushed to a device, and
 * requests a script on the device asks for (`fixpoint campaign`). Script requests are marked by who asked:
 * `requestedBy` is `device:<id>`, and they come to the device with `source: 'script'`.
 */
import { and, asc, desc, eq, gt, inArray, sql } from 'drizzle-orm';
import { maxPushedCampaignRequests, type AgentCampaignStart, type Answers, type CampaignRequestPush, type DeviceCampaignState, type FreeText } from '@fixpoint/protocol';
import type { AppContext } from '../../context';
import { campaignRequests, campaignResponses, campaignVersions, devices } from '../../db/schema';
import { conflict, notFound } from '../../errors';
import { appendAudit } from '../audit';
import type { CampaignRequestRow, CampaignVersionRow } from './convert';
import { expireDueRequests } from './expire';
import { requireCampaignRow, requireCampaignVersionRow } from './lookup';
import { resolveCampaignParameters } from './parameters';

const deviceLabel = (deviceId: string) => `device:${deviceId}`;

function toPush(request: CampaignRequestRow, version: CampaignVersionRow): CampaignRequestPush {
  return {
    requestId: request.id,
    campaignId: request.campaignId,
    campaignVersion: version.version,
    definition: version.definition,
    parameters: request.parameters,
    targetUser: request.targetUser,
    urgency: version.definition.urgency,
    source: request.requestedBy.startsWith('device:') ? 'script' : 'server',
    createdAt: request.createdAt.toISOString(),
    expiresAt: request.expiresAt.toISOString(),
  };
}

/**
 * The pending, unexpired requests of each device, oldest first, at most `maxPushedCampaignRequests` per device.
 * One query for all the devices.
 */
export async function pendingCampaignRequests(ctx: AppContext, deviceIds: readonly string[]): Promise<Map<string, CampaignRequestPush[]>> {
  const out = new Map<string, CampaignRequestPush[]>(deviceIds.map((id) => [id, []]));
  if (!deviceIds.length) return out;
  const ranked = ctx.db
    .select({
      id: campaignRequests.id,
      rank: sql<number>`row_number() over (partition by ${campaignRequests.deviceId} order by ${campaignRequests.createdAt}, ${campaignRequests.id})`.as('rank'),
    })
    .from(campaignRequests)
    .where(and(inArray(campaignRequests.deviceId, [...deviceIds]), eq(campaignRequests.status, 'pending'), gt(campaignRequests.expiresAt, ctx.now())))
    .as('ranked');
  const rows = await ctx.db
    .select({ request: campaignRequests, version: campaignVersions })
    .from(ranked)
    .innerJoin(campaignRequests, eq(campaignRequests.id, ranked.id))
    .innerJoin(campaignVersions, eq(campaignVersions.id, campaignRequests.campaignVersionId))
    .where(sql`${ranked.rank} <= ${maxPushedCampaignRequests}`)
    .orderBy(asc(campaignRequests.createdAt), asc(campaignRequests.id));
  for (const { request, version } of rows) out.get(request.deviceId)?.push(toPush(request, version));
  return out;
}

export interface StartDeviceCampaignInput {
  /** The authenticated device. */
  deviceId: string;
  start: Pick<AgentCampaignStart, 'campaign' | 'parameters' | 'timeoutSec' | 'user' | 'executionId'>;
}

/**
 * A script on the device asks for a campaign: the published version, for the device's console user, expiring no
 * sooner than the script waits. A request already pending for that campaign on the device is reused (one pending
 * request per campaign and device), so a script asking again waits for the same answer; `reused` tells the agent the
 * request is not the script's to close. Audited as a trigger.
 */
export async function startDeviceCampaign(ctx: AppContext, input: StartDeviceCampaignInput): Promise<{ request: CampaignRequestPush; reused: boolean }> {
  const { deviceId, start } = input;
  return ctx.db.transaction(async (tx) => {
    const [device] = await tx.select({ id: devices.id }).from(devices).where(eq(devices.id, deviceId));
    if (!device) throw notFound(`device ${deviceId}`);
    const row = await requireCampaignRow(tx, start.campaign, { lock: 'share' });
    if (row.status !== 'published' || row.publishedVersion === null)
      throw conflict(`campaign ${row.slug} is ${row.status}; only a published campaign can be started`);
    const version = await requireCampaignVersionRow(tx, row, row.publishedVersion);
    const parameters = resolveCampaignParameters(version.definition.parameters, start.parameters);
    const now = ctx.now();
    const expirySec = Math.max(version.definition.expirySec, start.timeoutSec ?? 0);
    const forThis = and(eq(campaignRequests.campaignId, row.id), eq(campaignRequests.deviceId, deviceId));
    await expireDueRequests(tx, now, { where: forThis, limit: 1 });
    const [created] = await tx
      .insert(campaignRequests)
      .values({
        campaignId: row.id,
        campaignVersionId: version.id,
        deviceId,
        targetUser: start.user,
        parameters,
        requestedBy: deviceLabel(deviceId),
        createdAt: now,
        expiresAt: new Date(now.getTime() + expirySec * 1000),
      })
      .onConflictDoNothing({ target: [campaignRequests.campaignId, campaignRequests.deviceId], where: sql`status = 'pending'` })
      .returning();
    let request = created;
    let requestVersion = version;
    if (!request) {
      const [pending] = await tx
        .select({ request: campaignRequests, version: campaignVersions })
        .from(campaignRequests)
        .innerJoin(campaignVersions, eq(campaignVersions.id, campaignRequests.campaignVersionId))
        .where(and(forThis, eq(campaignRequests.status, 'pending')));
      if (!pending) throw conflict(`campaign ${row.slug} changed while starting; try again`);
      request = pending.request;
      requestVersion = pending.version;
    }
    await appendAudit(
      tx,
      {
        actor: deviceLabel(deviceId),
        action: 'campaign.trigger',
        target: `campaign:${row.slug}`,
        details: {
          trigger: 'script',
          version: requestVersion.version,
          requestId: request.id,
          reused: !created,
          executionId: start.executionId ?? null,
          parameters: Object.keys(parameters),
          expiresAt: request.expiresAt.toISOString(),
        },
      },
      now,
    );
    return { request: toPush(request, requestVersion), reused: !created };
  });
}

export interface DeviceCampaignStatus {
  status: DeviceCampaignState;
  answers: Record<string, string[]>;
  freeText: Record<string, string>;
}

const copied = (answers: Answers, freeText: FreeText) => ({ answers: Object.fromEntries(Object.entries(answers).map(([q, v]) => [q, [...v]])), freeText: { ...freeText } });

/**
 * Where a request of this device stands, for `fixpoint campaign --status`: `pending` (a postponed prompt too) until
 * it closes, then the state of its latest response, `expired`, or `canceled`. Any request of the device, whoever
 * triggered it: a script on the device reads its answer. 404 for a request of another device.
 */
export async function deviceCampaignStatus(ctx: AppContext, input: { deviceId: string; requestId: string }): Promise<DeviceCampaignStatus> {
  const [request] = await ctx.db
    .select({ status: campaignRequests.status, expiresAt: campaignRequests.expiresAt })
    .from(campaignRequests)
    .where(and(eq(campaignRequests.id, input.requestId), eq(campaignRequests.deviceId, input.deviceId)));
  if (!request) throw notFound(`campaign request ${input.requestId} on this device`);
  const [latest] = await ctx.db
    .select({ state: campaignResponses.state, answers: campaignResponses.answers, freeText: campaignResponses.freeText })
    .from(campaignResponses)
    .where(eq(campaignResponses.requestId, input.requestId))
    .orderBy(desc(campaignResponses.receivedAt), desc(campaignResponses.id))
    .limit(1);
  const none = { answers: {}, freeText: {} };
  if (request.status === 'canceled') return { status: 'canceled', ...none };
  if (request.status === 'expired' || (request.status === 'pending' && request.expiresAt <= ctx.now())) return { status: 'expired', ...none };
  if (request.status === 'pending' || !latest || latest.state === 'postponed') return { status: 'pending', ...(latest ? copied(latest.answers, latest.freeText) : none) };
  return { status: latest.state, ...copied(latest.answers, latest.freeText) };
}
