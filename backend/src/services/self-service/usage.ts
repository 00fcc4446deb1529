/** @module How an action's users run it themselves: the console's list of self-service use per action. */
import { and, countDistinct, count, desc, eq, gt, sql } from 'drizzle-orm';
import type { SelfServiceUsage } from '@fixpoint/protocol';
import type { AppContext } from '../../context';
import { devices, executions } from '../../db/schema';
import { getAction } from '../actions';
import type { ActionVisibility } from '../actions/visibility';
import { deviceIdInScope } from '../devices/scope';
import type { Principal } from '../identity/rights';

const dayMs = 86_400_000;

/** Self-service runs of one action in the last 30 days on devices the caller may see, newest first (at most `limit`). */
export async function selfServiceUsage(
  ctx: AppContext,
  input: { principal: Principal; idOrSlug: string; visibility: ActionVisibility; limit?: number },
): Promise<SelfServiceUsage> {
  const action = await getAction(ctx, { idOrSlug: input.idOrSlug, visibility: input.visibility });
  const now = ctx.now().getTime();
  const where = and(
    eq(executions.actionId, action.id),
    eq(executions.trigger, 'self_service'),
    gt(executions.createdAt, new Date(now - 30 * dayMs)),
    deviceIdInScope(executions.deviceId, input.principal),
  );
  const [totals] = await ctx.db
    .select({
      last30d: count(),
      last24h: sql<number>`count(*) filter (where ${executions.createdAt} > ${new Date(now - dayMs).toISOString()}::timestamptz)`.mapWith(Number),
      users: countDistinct(executions.requestedBy),
    })
    .from(executions)
    .where(where);
  const rows = await ctx.db
    .select({
      executionId: executions.id,
      deviceId: executions.deviceId,
      deviceName: devices.name,
      requestedBy: executions.requestedBy,
      status: executions.status,
      createdAt: executions.createdAt,
    })
    .from(executions)
    .leftJoin(devices, eq(devices.id, executions.deviceId))
    .where(where)
    .orderBy(desc(executions.createdAt))
    .limit(input.limit ?? 100);
  return {
    last24h: totals?.last24h ?? 0,
    last30d: totals?.last30d ?? 0,
    users: totals?.users ?? 0,
    items: rows.map((r) => ({
      executionId: r.executionId,
      deviceId: r.deviceId,
      deviceName: r.deviceName ?? null,
      user: r.requestedBy.replace(/^device-user:/, ''),
      status: r.status,
      createdAt: r.createdAt.toISOString(),
    })),
  };
}
