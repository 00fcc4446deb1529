/**
 * @module Telling others that a staged rollout changed state: the `rollout.paused` and `rollout.completed` webhooks,
 * written in the transaction of the change (so they exist exactly when it committed), and the live `request.rollout`
 * event, published after the commit and relayed to the other instances like execution events.
 */
import { eq } from 'drizzle-orm';
import type { RolloutEvent, WebhookRolloutData } from '@fixpoint/protocol';
import type { AppContext } from '../../context';
import type { Tx } from '../../db';
import { actions, actionVersions, executionRequests } from '../../db/schema';
import { enqueueWebhookEvents, isSubscribed } from '../webhooks/enqueue-event';
import { readRolloutProgress } from './progress';

export type PauseCause = NonNullable<WebhookRolloutData['cause']>;

/**
 * Enqueues `rollout.paused` or `rollout.completed` for the request as the transaction now holds it. Each pause is its
 * own event (a rollout may pause, resume and pause again); a rollout completes once.
 */
export async function enqueueRolloutWebhook(ctx: AppContext, tx: Tx, requestId: string, cause: PauseCause | null, now: Date): Promise<void> {
  const event = cause ? 'rollout.paused' : 'rollout.completed';
  if (!(await isSubscribed(ctx, tx, event))) return;
  const [row] = await tx
    .select({ request: executionRequests, actionSlug: actions.slug })
    .from(executionRequests)
    .innerJoin(actionVersions, eq(actionVersions.id, executionRequests.actionVersionId))
    .innerJoin(actions, eq(actions.id, actionVersions.actionId))
    .where(eq(executionRequests.id, requestId));
  const progress = row && (await readRolloutProgress(tx, row.request));
  if (!row || !progress) return;
  const data: WebhookRolloutData = {
    requestId,
    actionSlug: row.actionSlug,
    state: progress.state,
    currentWave: progress.currentWave,
    waves: progress.waves,
    cause,
    reason: progress.pausedReason,
    at: now.toISOString(),
  };
  await enqueueWebhookEvents(ctx, tx, [{ event, key: cause ? `${requestId}:${now.toISOString()}` : requestId, data }]);
}

/** The live event for a request's rollout as stored now (every device counted); null without a rollout. */
export async function readRolloutEvent(ctx: AppContext, requestId: string): Promise<RolloutEvent | null> {
  const [request] = await ctx.db.select().from(executionRequests).where(eq(executionRequests.id, requestId));
  const progress = request && (await readRolloutProgress(ctx.db, request));
  if (!progress) return null;
  return { type: 'request.rollout', requestId, ...progress, at: ctx.now().toISOString() };
}

/** After the commit: publishes the rollout's state to live status, here and (relayed) on the other instances. */
export async function publishRolloutEvent(ctx: AppContext, requestId: string): Promise<void> {
  try {
    const event = await readRolloutEvent(ctx, requestId);
    if (event) ctx.events.publishRollout(event);
  } catch (error) {
    // Live status is a hint: clients re-read the request, so a lost event costs a delay, not a wrong state.
    ctx.log.warn('rollout event not published', { requestId, error: String(error) });
  }
}
