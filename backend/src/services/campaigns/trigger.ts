/**
 * @module Triggering a published campaign: one request per reached device, never a second pending one for the same
 * campaign and device, and a per-target outcome (`queued | waiting_for_user | already_pending | not_found | out_of_scope`).
 */
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { TriggerCampaign, TriggerResult, TriggerOutcome } from '@fixpoint/protocol';
import type { AppContext } from '../../context';
import { campaignRequests } from '../../db/schema';
import { conflict } from '../../errors';
import type { Principal } from '../identity/rights';
import { appendAudit } from '../audit';
import { expireDueRequests } from './expire';
import { requireCampaignRow, requireCampaignVersionRow } from './lookup';
import { resolveCampaignParameters } from './parameters';
import { deviceScopeCondition } from '../devices/scope';
import { resolveTargets } from './targets';

export interface TriggerCampaignInput {
  principal: Pick<Principal, 'label' | 'scopes' | 'owner'>;
  idOrSlug: string;
  trigger: TriggerCampaign;
}

const insertChunk = 1000;

/**
 * Queues requests for the published version and tells the campaign dispatcher which devices have new work.
 * Parameters are resolved against the version's declarations (400 on unknown or missing required ones).
 * @example await triggerCampaign(ctx, { principal, idOrSlug: 'laptop-survey', trigger: { devices: [id], users: [], parameters: {} } })
 */
export async function triggerCampaign(ctx: AppContext, input: TriggerCampaignInput): Promise<TriggerResult> {
  const { result, queuedDevices } = await ctx.db.transaction(async (tx) => {
    const row = await requireCampaignRow(tx, input.idOrSlug, { lock: 'share' });
    if (row.status !== 'published' || row.publishedVersion === null)
      throw conflict(`campaign ${row.slug} is ${row.status}; only a published campaign can be triggered`);
    const version = await requireCampaignVersionRow(tx, row, row.publishedVersion);
    const parameters = resolveCampaignParameters(version.definition.parameters, input.trigger.parameters);
    const now = ctx.now();
    const expiresAt = new Date(now.getTime() + (input.trigger.expirySec ?? version.definition.expirySec) * 1000);
    const targets = await resolveTargets(tx, deviceScopeCondition(input.principal), input.trigger);

    // the device a target reaches first decides the request's targetUser (null when named as a device)
    const candidates = new Map<string, string | null>();
    for (const t of targets) for (const id of t.inScope) if (!candidates.has(id)) candidates.set(id, t.kind === 'user' ? t.value : null);
    // one insertion order for every trigger, so concurrent ones wait on each other instead of deadlocking
    const ids = [...candidates.keys()].sort();
    const forCampaign = eq(campaignRequests.campaignId, row.id);
    // a pending request past its expiry no longer counts as pending
    if (ids.length) await expireDueRequests(tx, now, { where: and(forCampaign, inArray(campaignRequests.deviceId, ids)), limit: ids.length });

    const queued = new Map<string, string>();
    for (let i = 0; i < ids.length; i += insertChunk) {
      const rows = await tx
        .insert(campaignRequests)
        .values(
          ids.slice(i, i + insertChunk).map((deviceId) => ({
            campaignId: row.id,
            campaignVersionId: version.id,
            deviceId,
            targetUser: candidates.get(deviceId) ?? null,
            parameters,
            requestedBy: input.principal.label,
            createdAt: now,
            expiresAt,
          })),
        )
        .onConflictDoNothing({ target: [campaignRequests.campaignId, campaignRequests.deviceId], where: sql`status = 'pending'` })
        .returning({ id: campaignRequests.id, deviceId: campaignRequests.deviceId });
      for (const r of rows) queued.set(r.deviceId, r.id);
    }
    const pending = new Map<string, string>();
    const waiting = ids.filter((id) => !queued.has(id));
    for (let i = 0; i < waiting.length; i += insertChunk) {
      const rows = await tx
        .select({ id: campaignRequests.id, deviceId: campaignRequests.deviceId })
        .from(campaignRequests)
        .where(and(forCampaign, eq(campaignRequests.status, 'pending'), inArray(campaignRequests.deviceId, waiting.slice(i, i + insertChunk))));
      for (const r of rows) pending.set(r.deviceId, r.id);
    }

    const outcomes: Record<TriggerOutcome, number> = { queued: 0, waiting_for_user: 0, already_pending: 0, not_found: 0, out_of_scope: 0 };
    const results = targets.map((t) => {
      const outcome: TriggerOutcome = !t.found.length
        ? 'not_found'
        : !t.inScope.length
          ? 'out_of_scope'
          : !t.inScope.some((id) => queued.has(id))
            ? 'already_pending'
            : t.nobodyLoggedIn
              ? 'waiting_for_user'
              : 'queued';
      outcomes[outcome]++;
      const requests = t.inScope.flatMap((deviceId) => {
        const requestId = queued.get(deviceId) ?? pending.get(deviceId);
        return requestId ? [{ requestId, deviceId }] : [];
      });
      return { target: { kind: t.kind, value: t.value }, outcome, requests };
    });
    await appendAudit(
      tx,
      {
        actor: input.principal.label,
        action: 'campaign.trigger',
        target: `campaign:${row.slug}`,
        details: {
          // automation names whose rights it used
          ...(input.principal.owner && { owner: input.principal.owner }),
          version: version.version,
          devices: input.trigger.devices.length,
          users: input.trigger.users.length,
          requestsQueued: queued.size,
          targets: outcomes,
          parameters: Object.keys(parameters),
          expiresAt: expiresAt.toISOString(),
        },
      },
      now,
    );
    const result: TriggerResult = { campaignId: row.id, version: version.version, queued: queued.size, expiresAt: expiresAt.toISOString(), results };
    return { result, queuedDevices: [...queued.keys()] };
  });
  if (queuedDevices.length) ctx.campaignDispatcher?.notify(queuedDevices);
  return result;
}
