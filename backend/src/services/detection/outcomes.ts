/**
 * @module Outcomes and follow-ups: records how fired runs ended, then per rule lets devices that still match ask
 * for another attempt, closes the canary once enough of it succeeded, trips the circuit breaker, and fires again.
 */
import { and, desc, eq, gte, inArray, isNull, lte, or, sql } from 'drizzle-orm';
import { terminalStatuses } from '@fixpoint/protocol';
import type { AppContext } from '../../context';
import { detectionEvents, detectionRules, detectionState, executions } from '../../db/schema';
import { appendAudit } from '../audit';
import { neutralOutcomeSql } from '../executions/neutral';
import { enqueueWebhookEvents } from '../webhooks';
import { breakerTrip, countedStatuses, failedStatuses, isFailure } from '../automation/breaker';
import { canarySize } from './guards';
import { fireRule, pausedData, ruleLabel } from './firing';
import { canaryBase, canarySucceeded } from './snapshot';

export { countedStatuses, failedStatuses };

/** Rounds of fire → immediate outcomes → fire again, per call; the sweep picks up anything left. */
const maxRounds = 10;

/**
 * The neutral outcome of an ended run (see `neutralOutcomeSql`): a run of a self-help rule counts as self-help even when
 * its action runs as the system.
 */
const neutralOutcome = neutralOutcomeSql(sql`(select ${detectionRules.selfHelp} from ${detectionRules} where ${detectionRules.id} = ${detectionEvents.ruleId})`);

/**
 * Copies terminal execution statuses onto the rule events that launched them (only those given, or every one
 * still open) and returns the devices affected per rule.
 */
export async function recordOutcomes(ctx: AppContext, executionIds?: readonly string[]): Promise<Map<string, Ended[]>> {
  if (executionIds && !executionIds.length) return new Map();
  const rows = await ctx.db
    .update(detectionEvents)
    .set({
      status: sql`${executions.status}`,
      finishedAt: sql`coalesce(${executions.finishedAt}, ${ctx.now().toISOString()}::timestamptz)`,
      error: sql`${executions.error}`,
      neutral: neutralOutcome,
    })
    .from(executions)
    .where(
      and(
        eq(detectionEvents.executionId, executions.id),
        eq(detectionEvents.status, 'launched'),
        inArray(executions.status, [...terminalStatuses]),
        executionIds ? inArray(executions.id, executionIds as string[]) : undefined,
      ),
    )
    .returning({ ruleId: detectionEvents.ruleId, deviceId: detectionEvents.deviceId, neutral: detectionEvents.neutral });
  const byRule = new Map<string, Ended[]>();
  for (const r of rows) byRule.set(r.ruleId, [...(byRule.get(r.ruleId) ?? []), { deviceId: r.deviceId, neutral: r.neutral !== null }]);
  return byRule;
}

/** A device whose run of a rule ended, and whether it ended neutrally. */
export interface Ended {
  deviceId: string;
  neutral: boolean;
}

/**
 * After runs of a rule ended: devices still matching want another attempt (the guards decide when), and a neutral
 * outcome gives its attempt back (the user was asked, nothing failed; cooldown and the daily limit still space the
 * next ask). The canary closes once enough distinct devices succeeded, and the breaker pauses the rule when the
 * failure rate over its window reaches the threshold; neutral outcomes count for neither. One transaction under the
 * rule's lock.
 */
export async function settleRule(ctx: AppContext, ruleId: string, ended: readonly Ended[]): Promise<void> {
  const now = ctx.now();
  const deviceIds = ended.map((e) => e.deviceId);
  const neutral = ended.filter((e) => e.neutral).map((e) => e.deviceId);
  await ctx.db.transaction(async (tx) => {
    const [rule] = await tx.select().from(detectionRules).where(eq(detectionRules.id, ruleId)).for('no key update');
    if (!rule) return;
    if (deviceIds.length)
      await tx
        .update(detectionState)
        .set({ pending: true, blockedBy: null })
        .where(and(eq(detectionState.ruleId, ruleId), inArray(detectionState.deviceId, deviceIds)));
    if (neutral.length)
      await tx
        .update(detectionState)
        .set({ attempts: sql`greatest(${detectionState.attempts} - 1, 0)` })
        .where(and(eq(detectionState.ruleId, ruleId), inArray(detectionState.deviceId, neutral)));

    if (rule.canaryPassedAt === null && rule.guards.canaryPercent > 0) {
      const [base, succeeded] = await Promise.all([canaryBase(tx, rule), canarySucceeded(tx, rule)]);
      if (succeeded >= canarySize(rule.guards.canaryPercent, base))
        await tx.update(detectionRules).set({ canaryPassedAt: now }).where(eq(detectionRules.id, ruleId));
    }

    if (rule.pausedByBreaker) return;
    const { window, failureRate } = rule.guards.breaker;
    const recent = await tx
      .select({ status: detectionEvents.status })
      .from(detectionEvents)
      .where(
        and(
          eq(detectionEvents.ruleId, ruleId),
          inArray(detectionEvents.status, [...countedStatuses]),
          isNull(detectionEvents.neutral),
          gte(detectionEvents.finishedAt, rule.breakerResetAt),
        ),
      )
      .orderBy(desc(detectionEvents.finishedAt), desc(detectionEvents.id))
      .limit(window);
    const reason = breakerTrip(recent.map((r) => r.status), rule.guards.breaker);
    if (!reason) return;
    const failures = recent.filter((r) => isFailure(r.status)).length;
    await tx.update(detectionRules).set({ pausedByBreaker: true, pausedReason: reason, pausedAt: now }).where(eq(detectionRules.id, ruleId));
    await appendAudit(tx, { actor: ruleLabel(ruleId), action: 'detection.breaker_trip', target: `detection:${ruleId}`, details: { name: rule.name, failures, results: recent.length, failureRate } }, now);
    await enqueueWebhookEvents(ctx, tx, [{ event: 'detection.paused', key: `${ruleId}:${now.toISOString()}`, data: pausedData(ruleId, rule.name, 'breaker', reason, now) }]);
    ctx.log.warn('detection rule paused by its circuit breaker', { rule: ruleId, reason });
  });
}

/**
 * Fires a rule and follows up on what ended at once (launch failures, executions already finished), until nothing
 * more fires or `maxRounds` is reached.
 */
export async function advanceRule(ctx: AppContext, ruleId: string, deviceIds?: readonly string[]): Promise<void> {
  let only = deviceIds;
  for (let round = 0; round < maxRounds; round++) {
    const result = await fireRule(ctx, ruleId, only);
    const ended = await recordOutcomes(ctx, result.executionIds);
    const devices = [...result.launchFailed.map((deviceId) => ({ deviceId, neutral: false })), ...(ended.get(ruleId) ?? [])];
    if (!devices.length) return;
    await settleRule(ctx, ruleId, devices);
    only = undefined;
  }
}

/** Records outcomes (of these executions, or every open one) and follows up on each rule they belong to. */
export async function handleOutcomes(ctx: AppContext, executionIds?: readonly string[]): Promise<void> {
  for (const [ruleId, devices] of await recordOutcomes(ctx, executionIds)) {
    await settleRule(ctx, ruleId, devices);
    await advanceRule(ctx, ruleId);
  }
}

/** Rules with devices whose hold has passed, so the sweep can fire them. */
export async function rulesWithDueDevices(ctx: AppContext): Promise<string[]> {
  const now = ctx.now();
  const rows = await ctx.db
    .selectDistinct({ ruleId: detectionState.ruleId })
    .from(detectionState)
    .innerJoin(detectionRules, eq(detectionRules.id, detectionState.ruleId))
    .where(
      and(
        eq(detectionRules.enabled, true),
        eq(detectionRules.pausedByBreaker, false),
        eq(detectionRules.pausedForOwner, false),
        eq(detectionState.pending, true),
        or(isNull(detectionState.notBefore), lte(detectionState.notBefore, now)),
      ),
    );
  return rows.map((r) => r.ruleId);
}

/**
 * Reservations whose launch never completed (the backend stopped in between) give their slot back as
 * `launch_failed` after `olderThanMs`.
 */
export async function failStaleLaunches(ctx: AppContext, olderThanMs = 5 * 60_000): Promise<void> {
  const now = ctx.now();
  const stale = await ctx.db
    .update(detectionEvents)
    .set({ status: 'launch_failed', error: 'the launch was interrupted', finishedAt: now })
    .where(and(eq(detectionEvents.status, 'launching'), lte(detectionEvents.firedAt, new Date(now.getTime() - olderThanMs))))
    .returning({ ruleId: detectionEvents.ruleId, deviceId: detectionEvents.deviceId });
  const byRule = new Map<string, Ended[]>();
  for (const r of stale) byRule.set(r.ruleId, [...(byRule.get(r.ruleId) ?? []), { deviceId: r.deviceId, neutral: false }]);
  for (const [ruleId, devices] of byRule) await settleRule(ctx, ruleId, devices);
}
