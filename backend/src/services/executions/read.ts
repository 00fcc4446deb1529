import { and, count, desc, eq, inArray, or, sql, type SQL } from 'drizzle-orm';
import {
  executionStatuses, Id, type Execution, type ExecutionListQuery, type ExecutionRequestSummary, type ExecutionStatus, type NeutralOutcome,
} from '@fixpoint/protocol';
import type { AppContext } from '../../context';
import { actions, actionVersions, devices, executionRequests, executions } from '../../db/schema';
import { notFound } from '../../errors';
import type { Principal } from '../identity/rights';
import { deviceScopeCondition } from '../devices/scope';
import { toExecution } from './convert';
import { executionNeutralSql, executionOutcomeSql } from './neutral';
import { pageOf } from '../page';
import { rolloutProgress } from '../rollouts/progress';

const joinedColumns = { e: executions, deviceName: devices.name, actionSlug: actions.slug, actionVersion: actionVersions.version, neutral: executionNeutralSql };

function joined(ctx: AppContext) {
  return ctx.db
    .select(joinedColumns)
    .from(executions)
    .innerJoin(devices, eq(devices.id, executions.deviceId))
    .innerJoin(actions, eq(actions.id, executions.actionId))
    .innerJoin(actionVersions, eq(actionVersions.id, executions.actionVersionId));
}

const rowToExecution = (r: { e: typeof executions.$inferSelect; deviceName: string; actionSlug: string; actionVersion: number; neutral: NeutralOutcome | null }) =>
  toExecution(r.e, r);

/** Executions on devices the principal may see, newest first, filtered and paged. */
export async function listExecutions(
  ctx: AppContext,
  input: { principal: Principal; query: ExecutionListQuery },
): Promise<{ items: Execution[]; total: number; next: number | null }> {
  const { query } = input;
  const conditions: (SQL | undefined)[] = [deviceScopeCondition(input.principal)];
  if (query.status) conditions.push(eq(executions.status, query.status));
  if (query.outcome) conditions.push(sql`${executionOutcomeSql} = ${query.outcome}`);
  if (query.deviceId) conditions.push(eq(executions.deviceId, query.deviceId));
  if (query.requestId) conditions.push(eq(executions.requestId, query.requestId));
  if (query.trigger) conditions.push(eq(executions.trigger, query.trigger));
  if (query.action) {
    const byRef = Id.safeParse(query.action).success ? or(eq(actions.id, query.action), eq(actions.slug, query.action)) : eq(actions.slug, query.action);
    conditions.push(inArray(executions.actionId, ctx.db.select({ id: actions.id }).from(actions).where(byRef)));
  }
  const where = and(...conditions);
  const rows = await joined(ctx)
    .where(where)
    .orderBy(desc(executions.createdAt), desc(executions.seq))
    .limit(query.limit)
    .offset(query.offset);
  const [{ total } = { total: 0 }] = await ctx.db
    .select({ total: count() })
    .from(executions)
    .innerJoin(devices, eq(devices.id, executions.deviceId))
    .where(where);
  return pageOf(rows.map(rowToExecution), total, query.offset);
}

/** One execution; outside the principal's device scope it does not exist. */
export async function getExecution(ctx: AppContext, input: { principal: Principal; id: string }): Promise<Execution> {
  if (!Id.safeParse(input.id).success) throw notFound('execution');
  const [row] = await joined(ctx).where(and(eq(executions.id, input.id), deviceScopeCondition(input.principal)));
  if (!row) throw notFound('execution');
  return rowToExecution(row);
}

/**
 * A launch request with its executions counted by status. Only executions on devices the principal may see count;
 * a request with none of them is not found.
 */
export async function getExecutionRequest(ctx: AppContext, input: { principal: Principal; id: string }): Promise<ExecutionRequestSummary> {
  if (!Id.safeParse(input.id).success) throw notFound('execution request');
  const [request] = await ctx.db
    .select({ r: executionRequests, actionId: actions.id, actionSlug: actions.slug, actionVersion: actionVersions.version })
    .from(executionRequests)
    .innerJoin(actionVersions, eq(actionVersions.id, executionRequests.actionVersionId))
    .innerJoin(actions, eq(actions.id, actionVersions.actionId))
    .where(eq(executionRequests.id, input.id));
  if (!request) throw notFound('execution request');
  const groups = await ctx.db
    .select({ status: executions.status, n: count() })
    .from(executions)
    .innerJoin(devices, eq(devices.id, executions.deviceId))
    .where(and(eq(executions.requestId, input.id), deviceScopeCondition(input.principal)))
    .groupBy(executions.status);
  const counts = Object.fromEntries(executionStatuses.map((s) => [s, 0])) as Record<ExecutionStatus, number>;
  let total = 0;
  for (const g of groups) {
    counts[g.status] = g.n;
    total += g.n;
  }
  if (!total) throw notFound('execution request');
  const r = request.r;
  return {
    id: r.id,
    actionId: request.actionId,
    actionSlug: request.actionSlug,
    actionVersionId: r.actionVersionId,
    actionVersion: request.actionVersion,
    requestedBy: r.requestedBy,
    trigger: r.trigger,
    triggerInfo: r.triggerInfo,
    createdAt: r.createdAt.toISOString(),
    total,
    counts,
    rollout: await rolloutProgress(ctx, r, deviceScopeCondition(input.principal)),
  };
}
