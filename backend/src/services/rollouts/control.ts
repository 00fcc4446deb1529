/**
 * @module What a person does to a launch as a whole: pause or resume a rollout, or cancel what is still queued or
 * held (a rollout then releases no more waves). Both are audited and need the right to run the action.
 */
import { and, eq, inArray } from 'drizzle-orm';
import type { ExecutionRequestSummary } from '@fixpoint/protocol';
import type { AppContext } from '../../context';
import { devices, executionRequests, executions } from '../../db/schema';
import { conflict, forbidden } from '../../errors';
import { appendAudit } from '../audit';
import { deviceScopeCondition } from '../devices/scope';
import { getExecutionRequest } from '../executions/read';
import { erasedSecrets, publishStatus } from '../executions/transition';
import { canRunAction, type Principal } from '../identity/rights';
import { announceRelease, stepRollout } from './advance';
import { enqueueRolloutWebhook, publishRolloutEvent } from './announce';

interface RequestInput {
  principal: Principal;
  id: string;
}

/** The request as the caller sees it, once they may run its action. */
async function visibleRequest(ctx: AppContext, { principal, id }: RequestInput): Promise<ExecutionRequestSummary> {
  const summary = await getExecutionRequest(ctx, { principal, id });
  if (!canRunAction(principal, summary.actionSlug)) throw forbidden(`you may not run (or control) action ${summary.actionSlug}`);
  return summary;
}

/** Pauses a running rollout by hand: executions already queued go on, no further wave is released. */
export async function pauseRollout(ctx: AppContext, input: RequestInput): Promise<ExecutionRequestSummary> {
  await visibleRequest(ctx, input);
  const now = ctx.now();
  await ctx.db.transaction(async (tx) => {
    const [request] = await tx.select().from(executionRequests).where(eq(executionRequests.id, input.id)).for('update');
    if (!request?.rollout) throw conflict('this launch has no staged rollout');
    if (request.rolloutState !== 'running') throw conflict(`the rollout is ${request.rolloutState}, not running`);
    const reason = `paused by ${input.principal.label}`;
    await tx.update(executionRequests).set({ rolloutState: 'paused', pausedReason: reason, nextWaveAt: null }).where(eq(executionRequests.id, request.id));
    await appendAudit(tx, { actor: input.principal.label, action: 'rollout.pause', target: `request:${request.id}`, details: { wave: (request.currentWave ?? 0) + 1, reason } }, now);
    await enqueueRolloutWebhook(ctx, tx, request.id, 'manual', now);
  });
  await publishRolloutEvent(ctx, input.id);
  return getExecutionRequest(ctx, input);
}

/**
 * Resumes a paused rollout: the current wave's results are accepted whatever its success rate, the breaker counts
 * afresh, and the next wave is released at once if the current one has ended (no `waitSec`).
 */
export async function resumeRollout(ctx: AppContext, input: RequestInput): Promise<ExecutionRequestSummary> {
  await visibleRequest(ctx, input);
  const now = ctx.now();
  const released = await ctx.db.transaction(async (tx) => {
    const [request] = await tx.select().from(executionRequests).where(eq(executionRequests.id, input.id)).for('update');
    if (!request?.rollout) throw conflict('this launch has no staged rollout');
    if (request.rolloutState !== 'paused') throw conflict(`the rollout is ${request.rolloutState}, not paused`);
    const resumed = { ...request, rolloutState: 'running' as const, pausedReason: null, breakerResetAt: now, waivedWave: request.currentWave, nextWaveAt: null };
    await tx
      .update(executionRequests)
      .set({ rolloutState: 'running', pausedReason: null, breakerResetAt: now, waivedWave: request.currentWave, nextWaveAt: null })
      .where(eq(executionRequests.id, request.id));
    await appendAudit(
      tx,
      { actor: input.principal.label, action: 'rollout.resume', target: `request:${request.id}`, details: { wave: (request.currentWave ?? 0) + 1, pausedReason: request.pausedReason } },
      now,
    );
    return stepRollout(ctx, tx, resumed);
  });
  // Announced even when the step changed nothing: the rollout is running again.
  await announceRelease(ctx, released ?? { requestId: input.id, rows: [] });
  return getExecutionRequest(ctx, input);
}

/**
 * Cancels the launch's queued and held executions on devices in the caller's scope, and stops its rollout.
 * Delivered and running ones go on (cancel them one by one); with nothing left to cancel it is a conflict.
 */
export async function cancelRequest(ctx: AppContext, input: RequestInput): Promise<ExecutionRequestSummary> {
  await visibleRequest(ctx, input);
  const { principal } = input;
  const now = ctx.now();
  const outcome = await ctx.db.transaction(async (tx) => {
    const [request] = await tx.select().from(executionRequests).where(eq(executionRequests.id, input.id)).for('update');
    if (!request) throw conflict('no such launch');
    const inScope = ctx.db.select({ id: devices.id }).from(devices).where(deviceScopeCondition(principal));
    const rows = await tx
      .update(executions)
      .set({ status: 'canceled', finishedAt: now, error: `canceled by ${principal.label}`, secretParameters: erasedSecrets })
      .where(and(eq(executions.requestId, request.id), inArray(executions.status, ['queued', 'held']), inArray(executions.deviceId, inScope)))
      .returning({ id: executions.id, requestId: executions.requestId, deviceId: executions.deviceId, status: executions.status });
    const stopsRollout = request.rolloutState === 'running' || request.rolloutState === 'paused';
    if (!rows.length && !stopsRollout) throw conflict('nothing queued or held is left to cancel');
    if (stopsRollout)
      await tx.update(executionRequests).set({ rolloutState: 'canceled', nextWaveAt: null }).where(eq(executionRequests.id, request.id));
    await appendAudit(
      tx,
      { actor: principal.label, action: 'request.cancel', target: `request:${request.id}`, details: { canceled: rows.length, rollout: request.rolloutState } },
      now,
    );
    return { rows, stopsRollout };
  });
  const canceled = outcome.rows;
  for (const row of canceled) publishStatus(ctx, row, now);
  try {
    if (canceled.length) ctx.dispatcher.notify(canceled.map((r) => r.deviceId));
  } catch (error) {
    ctx.log.error('dispatcher notify failed', { error: String(error) });
  }
  if (outcome.stopsRollout) await publishRolloutEvent(ctx, input.id);
  return getExecutionRequest(ctx, input);
}
