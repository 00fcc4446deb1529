import type { Execution } from '@fixpoint/protocol';
import type { AppContext } from '../../context';
import { forbidden } from '../../errors';
import { canRunAction, type Principal } from '../identity/rights';
import { appendAudit } from '../audit';
import { getExecution } from './read';
import { changeStatus, publishStatus } from './transition';

/**
 * Cancels a queued, delivered or running execution on a device in the caller's scope, for a caller who may run
 * its action. The dispatcher is notified so a connected agent learns at once (and kills a running script);
 * a finished execution is a conflict.
 */
export async function cancelExecution(ctx: AppContext, input: { principal: Principal; id: string }): Promise<Execution> {
  const { principal } = input;
  const execution = await getExecution(ctx, { principal, id: input.id });
  if (!canRunAction(principal, execution.actionSlug)) throw forbidden(`you may not run (or cancel) action ${execution.actionSlug}`);
  const now = ctx.now();
  const changed = await ctx.db.transaction(async (tx) => {
    const row = await changeStatus(ctx, tx, { executionId: execution.id, deviceId: null, to: 'canceled', at: now, error: `canceled by ${principal.label}` });
    await appendAudit(
      tx,
      {
        actor: principal.label,
        action: 'execution.cancel',
        target: `execution:${execution.id}`,
        details: { action: execution.actionSlug, deviceId: execution.deviceId, requestId: execution.requestId, from: execution.status },
      },
      now,
    );
    return row;
  });
  publishStatus(ctx, changed, now);
  try {
    ctx.dispatcher.notify([changed.deviceId]);
  } catch (error) {
    ctx.log.error('dispatcher notify failed', { error: String(error) });
  }
  return getExecution(ctx, { principal, id: execution.id });
}
