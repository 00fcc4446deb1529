import { and, asc, count, desc, eq, inArray, isNotNull, isNull, max } from 'drizzle-orm';
import type { DetectionEvent, DetectionHealth, DetectionRule, NeutralOutcome } from '@fixpoint/protocol';
import type { AppContext } from '../../context';
import { detectionEvents, detectionRules, detectionState, devices } from '../../db/schema';
import { notFound } from '../../errors';
import type { Principal } from '../identity/rights';
import { deviceIdInScope } from '../devices/scope';
import { actionSummaries, awaitingApproval, loadAutomatedAction, savedQueryNames } from '../automation';
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
  const [statuses, states, [last], [lastFailure], succeededCanary, base, action] = await Promise.all([
    ctx.db
      .select({ status: detectionEvents.status, neutral: detectionEvents.neutral, n: count() })
      .from(detectionEvents)
      .where(byRule)
      .groupBy(detectionEvents.status, detectionEvents.neutral),
    ctx.db.select({ pending: detectionState.pending, n: count() }).from(detectionState).where(byState).groupBy(detectionState.pending),
    ctx.db.select({ at: max(detectionEvents.firedAt) }).from(detectionEvents).where(byRule),
    ctx.db
      .select({ error: detectionEvents.error })
      .from(detectionEvents)
      .where(and(byRule, inArray(detectionEvents.status, [...failedStatuses]), isNull(detectionEvents.neutral), isNotNull(detectionEvents.error)))
      .orderBy(desc(detectionEvents.finishedAt), desc(detectionEvents.id))
      .limit(1),
    canarySucceeded(ctx.db, rule, principal),
    canaryBase(ctx.db, rule, principal),
    loadAutomatedAction(ctx, rule.actionId).catch(() => null),
  ]);
  const sum = (rows: typeof statuses) => rows.reduce((total, s) => total + s.n, 0);
  const of = (list: readonly string[]) => sum(statuses.filter((s) => list.includes(s.status) && s.neutral === null));
  const neutral = (outcome: NeutralOutcome) => sum(statuses.filter((s) => s.neutral === outcome));
  const matches = states.reduce((sum, s) => sum + s.n, 0);
  const full = rule.canaryPassedAt !== null || rule.guards.canaryPercent <= 0;
  return {
    ruleId: id,
    matches,
    pending: states.find((s) => s.pending)?.n ?? 0,
    inFlight: of(inFlightStatuses),
    fired: sum(statuses),
    succeeded: of(['succeeded']),
    failed: of(failedStatuses),
    neutral: sum(statuses.filter((s) => s.neutral !== null)),
    neutralByOutcome: { declined: neutral('declined'), postponed: neutral('postponed'), timeout: neutral('timeout'), no_user: neutral('no_user') },
    other: of(['canceled', 'expired']),
    pausedByBreaker: rule.pausedByBreaker,
    pausedReason: rule.pausedReason,
    lastError: lastFailure?.error ?? null,
    awaitingApproval: action ? awaitingApproval(ctx, action, 'detection') : null,
    lastFiredAt: last?.at ? new Date(last.at).toISOString() : null,
    rollout: {
      stage: full ? 'full' : 'canary',
      canarySize: canarySize(rule.guards.canaryPercent, base),
      canarySucceeded: succeededCanary,
    },
  };
}

/** The runs a rule fired on devices in the caller's scope, newest first. */
export async function listDetectionEvents(
  ctx: AppContext,
  input: { principal: Principal; id: string; limit: number; offset: number },
): Promise<Page<DetectionEvent>> {
  await loadRuleOr404(ctx, input.id);
  const where = and(eq(detectionEvents.ruleId, input.id), deviceIdInScope(detectionEvents.deviceId, input.principal));
  const [rows, [total]] = await Promise.all([
    ctx.db
      .select({ event: detectionEvents, deviceName: devices.name })
      .from(detectionEvents)
      .innerJoin(devices, eq(devices.id, detectionEvents.deviceId))
      .where(where)
      .orderBy(desc(detectionEvents.firedAt), desc(detectionEvents.id))
      .limit(input.limit)
      .offset(input.offset),
    ctx.db.select({ n: count() }).from(detectionEvents).where(where),
  ]);
  const items = rows.map(({ event: e, deviceName }): DetectionEvent => ({
    id: e.id,
    deviceId: e.deviceId,
    deviceName,
    firedAt: e.firedAt.toISOString(),
    attempt: e.attempt,
    status: e.status,
    neutral: e.neutral,
    executionId: e.executionId,
    finishedAt: e.finishedAt?.toISOString() ?? null,
    error: e.error,
  }));
  return pageOf(items, total?.n ?? 0, input.offset);
}
