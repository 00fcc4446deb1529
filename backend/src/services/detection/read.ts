import { and, asc, count, desc, eq, inArray, isNotNull, max } from 'drizzle-orm';
import type { DetectionHealth, DetectionRule } from '@fixpoint/protocol';
import type { AppContext } from '../../context';
import { detectionEvents, detectionRules, detectionState } from '../../db/schema';
import { notFound } from '../../errors';
import type { Principal } from '../identity/rights';
import { deviceIdInScope } from '../devices/scope';
import { actionSummaries, savedQueryNames } from '../automation';
import { pageOf, type Page } from '../page';
import { toDetectionRule } from './convert';
import { failedStatuses } from './outcomes';
import { canarySize } from './guards';
import { canaryBase, canarySucceeded, inFlightStatuses, type RuleRow } from './snapshot';

export async function loadRuleOr404(ctx: AppContext, id: string): Promise<RuleRow> {
  const [row] = await ctx.db.select().from(detectionRules).where(eq(detectionRules.id, id));
  if (!row) throw notFound('detection rule');
  return row;
}

async function present(ctx: AppContext, rows: RuleRow[]): Promise<DetectionRule[]> {
  const summaries = await actionSummaries(ctx.db, rows.map((r) => r.actionId));
  const names = await savedQueryNames(ctx.db, rows.map((r) => r.savedQueryId));
  return rows.map((r) => toDetectionRule(r, summaries.get(r.actionId) ?? { slug: '', definition: undefined }, names.get(r.savedQueryId ?? '')));
}

export async function getDetectionRule(ctx: AppContext, id: string): Promise<DetectionRule> {
  return (await present(ctx, [await loadRuleOr404(ctx, id)]))[0]!;
}

export async function listDetectionRules(ctx: AppContext, input: { limit: number; offset: number }): Promise<Page<DetectionRule>> {
  const [rows, [total]] = await Promise.all([
    ctx.db.select().from(detectionRules).orderBy(asc(detectionRules.name), asc(detectionRules.id)).limit(input.limit).offset(input.offset),
    ctx.db.select({ n: count() }).from(detectionRules),
  ]);
  return pageOf(await present(ctx, rows), total?.n ?? 0, input.offset);
}

/**
 * Counters of a rule: devices matching and waiting, runs by outcome, the breaker and the rollout. Every count, the
 * last run and the last error cover only devices in the caller's scope.
 */
export async function getDetectionHealth(ctx: AppContext, input: { principal: Principal; id: string }): Promise<DetectionHealth> {
  const { id, principal } = input;
  const rule = await loadRuleOr404(ctx, id);
  const byRule = and(eq(detectionEvents.ruleId, id), deviceIdInScope(detectionEvents.deviceId, principal));
  const byState = and(eq(detectionState.ruleId, id), deviceIdInScope(detectionState.deviceId, principal));
  const [statuses, states, [last], [lastFailure], succeededCanary, base] = await Promise.all([
    ctx.db.select({ status: detectionEvents.status, n: count() }).from(detectionEvents).where(byRule).groupBy(detectionEvents.status),
    ctx.db.select({ pending: detectionState.pending, n: count() }).from(detectionState).where(byState).groupBy(detectionState.pending),
    ctx.db.select({ at: max(detectionEvents.firedAt) }).from(detectionEvents).where(byRule),
    ctx.db
      .select({ error: detectionEvents.error })
      .from(detectionEvents)
      .where(and(byRule, inArray(detectionEvents.status, [...failedStatuses]), isNotNull(detectionEvents.error)))
      .orderBy(desc(detectionEvents.finishedAt), desc(detectionEvents.id))
      .limit(1),
    canarySucceeded(ctx.db, rule, principal),
    canaryBase(ctx.db, rule, principal),
  ]);
  const of = (list: readonly string[]) => statuses.filter((s) => list.includes(s.status)).reduce((sum, s) => sum + s.n, 0);
  const matches = states.reduce((sum, s) => sum + s.n, 0);
  const full = rule.canaryPassedAt !== null || rule.guards.canaryPercent <= 0;
  return {
    ruleId: id,
    matches,
    pending: states.find((s) => s.pending)?.n ?? 0,
    inFlight: of(inFlightStatuses),
    fired: of(statuses.map((s) => s.status)),
    succeeded: of(['succeeded']),
    failed: of(failedStatuses),
    other: of(['canceled', 'expired']),
    pausedByBreaker: rule.pausedByBreaker,
    pausedReason: rule.pausedReason,
    lastError: lastFailure?.error ?? null,
    lastFiredAt: last?.at ? new Date(last.at).toISOString() : null,
    rollout: {
      stage: full ? 'full' : 'canary',
      canarySize: canarySize(rule.guards.canaryPercent, base),
      canarySucceeded: succeededCanary,
    },
  };
}
