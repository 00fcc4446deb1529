/** @module Expiry: pending requests past their expiresAt become `expired`, with an `expired` response. */
import { and, asc, eq, inArray, lte, type SQL } from 'drizzle-orm';
import type { AppContext } from '../../context';
import type { Db, Tx } from '../../db';
import { campaignRequests, campaignResponses } from '../../db/schema';
import { appendAudit } from '../audit';

/**
 * Expires up to `limit` pending requests past their expiry that match `where`, inside the caller's transaction.
 * Rows another worker holds are skipped (`SKIP LOCKED`), so several backends can sweep side by side.
 * Returns the expired requests' device ids.
 */
export async function expireDueRequests(tx: Db | Tx, now: Date, options: { where?: SQL; limit?: number } = {}): Promise<string[]> {
  const due = await tx
    .select({ id: campaignRequests.id, campaignId: campaignRequests.campaignId, campaignVersionId: campaignRequests.campaignVersionId, deviceId: campaignRequests.deviceId })
    .from(campaignRequests)
    .where(and(eq(campaignRequests.status, 'pending'), lte(campaignRequests.expiresAt, now), options.where))
    .orderBy(asc(campaignRequests.expiresAt))
    .limit(options.limit ?? 1000)
    .for('update', { skipLocked: true });
  if (!due.length) return [];
  await tx
    .update(campaignRequests)
    .set({ status: 'expired', closedAt: now })
    .where(inArray(campaignRequests.id, due.map((r) => r.id)));
  await tx.insert(campaignResponses).values(
    due.map((r) => ({ requestId: r.id, campaignId: r.campaignId, campaignVersionId: r.campaignVersionId, deviceId: r.deviceId, state: 'expired' as const, receivedAt: now })),
  );
  return due.map((r) => r.deviceId);
}

/** One sweep: expires due requests in batches, with one audit entry per batch. Returns how many expired. */
export async function expireCampaignRequests(ctx: AppContext, options: { batchSize?: number } = {}): Promise<number> {
  const batchSize = options.batchSize ?? 1000;
  let total = 0;
  for (;;) {
    const expired = await ctx.db.transaction(async (tx) => {
      const now = ctx.now();
      const deviceIds = await expireDueRequests(tx, now, { limit: batchSize });
      if (deviceIds.length) await appendAudit(tx, { actor: 'system', action: 'campaign.requests.expire', target: null, details: { count: deviceIds.length } }, now);
      return deviceIds.length;
    });
    total += expired;
    if (expired < batchSize) return total;
  }
}

export interface CampaignSweeper {
  /** Runs one sweep now. */
  tick(): Promise<number>;
  /** Stops the timer and waits for a sweep in flight. */
  stop(): Promise<void>;
}

/** Sweeps every `intervalMs` (default 30 s). The timer is unref'd, so it never keeps the process alive. */
export function startCampaignSweeper(ctx: AppContext, options: { intervalMs?: number } = {}): CampaignSweeper {
  let running: Promise<number> | null = null;
  const tick = () => {
    running ??= expireCampaignRequests(ctx).finally(() => {
      running = null;
    });
    return running;
  };
  const timer = setInterval(() => {
    tick().catch((error: unknown) => ctx.log.error('campaign expiry sweep failed', { error: String(error) }));
  }, options.intervalMs ?? 30_000);
  timer.unref();
  return {
    tick,
    async stop() {
      clearInterval(timer);
      await running?.catch(() => {});
    },
  };
}
