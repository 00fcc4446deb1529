/**
 * @module Reads what the guards need: a rule's fleet-wide counters and, per device, its match state and run
 * history. The same reads serve firing (inside the rule's lock) and the dry run.
 */
import { and, asc, count, countDistinct, eq, gte, inArray, isNull, lte, or, sql, type SQL } from 'drizzle-orm';
import type { Platform } from '@fixpoint/protocol';
import type { Db, Tx } from '../../db';
import { detectionEvents, detectionState, devices, type detectionRules } from '../../db/schema';
import type { Principal } from '../identity/rights';
import { deviceIdInScope } from '../devices/scope';
import type { Candidate, RuleSnapshot } from './guards';

export type RuleRow = typeof detectionRules.$inferSelect;

/** Event statuses of a run that holds a concurrency slot. */
export const inFlightStatuses = ['launching', 'launched'] as const;

/**
 * A rule's fleet-wide counters. `matchingIds` (the dry run's fresh matches) replaces the stored match state when
 * sizing the canary.
 */
export async function loadRuleSnapshot(
  db: Db | Tx,
  rule: RuleRow,
  platforms: ReadonlySet<Platform>,
  matchingIds?: ReadonlySet<string>,
): Promise<RuleSnapshot> {
  const canaryPassed = rule.canaryPassedAt !== null || rule.guards.canaryPercent <= 0;
  const [[flight], cohort] = await Promise.all([
    db.select({ n: count() }).from(detectionEvents).where(and(eq(detectionEvents.ruleId, rule.id), inArray(detectionEvents.status, inFlightStatuses))),
    canaryPassed
      ? []
      : db
          .selectDistinct({ deviceId: detectionEvents.deviceId })
          .from(detectionEvents)
          // a neutral self-help outcome hands its canary place to another device: the canary waits for results
          .where(and(eq(detectionEvents.ruleId, rule.id), gte(detectionEvents.firedAt, rule.rolloutStartedAt), isNull(detectionEvents.neutral))),
  ]);
  const cohortIds = new Set(cohort.map((r) => r.deviceId));
  let base = 0;
  if (!canaryPassed) base = matchingIds ? new Set([...matchingIds, ...cohortIds]).size : await canaryBase(db, rule);
  return {
    enabled: rule.enabled,
    pausedByBreaker: rule.pausedByBreaker,
    ownerProblem: rule.pausedForOwner ? rule.pausedReason ?? 'no owner' : null,
    guards: rule.guards,
    canaryPassed,
    matching: base,
    cohort: cohortIds,
    inFlight: flight?.n ?? 0,
    platforms,
  };
}

/** Only devices a reader may see, for counts shown to a caller; every device when absent. */
type Reader = Pick<Principal, 'scopes'> | undefined;

/**
 * What the canary is a share of: devices matching now, plus canary devices that stopped matching since (healed),
 * so the canary does not shrink as it succeeds.
 */
export async function canaryBase(db: Db | Tx, rule: RuleRow, reader?: Reader): Promise<number> {
  const [[matching], [healed]] = await Promise.all([
    db
      .select({ n: count() })
      .from(detectionState)
      .where(and(eq(detectionState.ruleId, rule.id), reader && deviceIdInScope(detectionState.deviceId, reader))),
    db
      .select({ n: countDistinct(detectionEvents.deviceId) })
      .from(detectionEvents)
      .leftJoin(detectionState, and(eq(detectionState.ruleId, detectionEvents.ruleId), eq(detectionState.deviceId, detectionEvents.deviceId)))
      .where(
        and(
          eq(detectionEvents.ruleId, rule.id),
          gte(detectionEvents.firedAt, rule.rolloutStartedAt),
          isNull(detectionState.deviceId),
          reader && deviceIdInScope(detectionEvents.deviceId, reader),
        ),
      ),
  ]);
  return (matching?.n ?? 0) + (healed?.n ?? 0);
}

/** Distinct devices with a succeeded run since the rollout started. */
export async function canarySucceeded(db: Db | Tx, rule: RuleRow, reader?: Reader): Promise<number> {
  const [row] = await db
    .select({ n: countDistinct(detectionEvents.deviceId) })
    .from(detectionEvents)
    .where(
      and(
        eq(detectionEvents.ruleId, rule.id),
        eq(detectionEvents.status, 'succeeded'),
        gte(detectionEvents.firedAt, rule.rolloutStartedAt),
        reader && deviceIdInScope(detectionEvents.deviceId, reader),
      ),
    );
  return row?.n ?? 0;
}

/** Per-device run history columns, as correlated subqueries over this rule's events. */
function historyColumns(ruleId: string, now: Date) {
  const since = new Date(now.getTime() - 86_400_000).toISOString();
  const mine = sql`${detectionEvents.ruleId} = ${ruleId} and ${detectionEvents.deviceId} = ${devices.id}`;
  return {
    inFlight: sql<boolean>`exists (select 1 from ${detectionEvents} where ${mine} and ${detectionEvents.status} in ('launching', 'launched'))`,
    lastFiredAt: sql<string | null>`(select max(${detectionEvents.firedAt}) from ${detectionEvents} where ${mine})`,
    runsLastDay: sql<number>`(select count(*) from ${detectionEvents} where ${mine} and ${detectionEvents.firedAt} > ${since}::timestamptz)`,
    oldestRunLastDay: sql<string | null>`(select min(${detectionEvents.firedAt}) from ${detectionEvents} where ${mine} and ${detectionEvents.firedAt} > ${since}::timestamptz)`,
  };
}

type HistoryRow = { inFlight: boolean; lastFiredAt: string | Date | null; runsLastDay: number | string; oldestRunLastDay: string | Date | null };
const date = (v: string | Date | null) => (v === null ? null : new Date(v));

function toCandidate(row: HistoryRow & { deviceId: string; platform: Platform; pending: boolean | null; attempts: number | null }): Candidate {
  return {
    deviceId: row.deviceId,
    platform: row.platform,
    // a device without a state row has not been seen matching: firing now would be its transition
    pending: row.pending ?? true,
    attempts: row.attempts ?? 0,
    inFlight: Boolean(row.inFlight),
    lastFiredAt: date(row.lastFiredAt),
    runsLastDay: Number(row.runsLastDay),
    oldestRunLastDay: date(row.oldestRunLastDay),
  };
}

/** Devices waiting for a run of this rule whose per-device hold has passed, oldest match first. */
export async function loadDueCandidates(
  db: Db | Tx,
  ruleId: string,
  now: Date,
  options: { deviceIds?: readonly string[]; limit: number; scope?: SQL | undefined },
): Promise<Candidate[]> {
  const rows = await db
    .select({ deviceId: detectionState.deviceId, platform: devices.platform, pending: detectionState.pending, attempts: detectionState.attempts, ...historyColumns(ruleId, now) })
    .from(detectionState)
    .innerJoin(devices, eq(devices.id, detectionState.deviceId))
    .where(
      and(
        eq(detectionState.ruleId, ruleId),
        eq(detectionState.pending, true),
        or(isNull(detectionState.notBefore), lte(detectionState.notBefore, now)),
        options.deviceIds ? inArray(detectionState.deviceId, options.deviceIds as string[]) : undefined,
        options.scope,
      ),
    )
    .orderBy(asc(detectionState.matchedAt), asc(detectionState.deviceId))
    .limit(options.limit);
  return rows.map(toCandidate);
}

/** Any devices (the dry run's matches), with their state when they have one; in the order firing would take them. */
export async function loadCandidatesFor(db: Db | Tx, ruleId: string, now: Date, deviceIds: readonly string[]) {
  if (!deviceIds.length) return [];
  const rows = await db
    .select({
      deviceId: devices.id,
      name: devices.name,
      platform: devices.platform,
      pending: detectionState.pending,
      attempts: detectionState.attempts,
      matchedAt: detectionState.matchedAt,
      ...historyColumns(ruleId, now),
    })
    .from(devices)
    .leftJoin(detectionState, and(eq(detectionState.ruleId, ruleId), eq(detectionState.deviceId, devices.id)))
    .where(inArray(devices.id, deviceIds as string[]));
  return rows.map((r) => ({ ...toCandidate(r), name: r.name, matchedAt: r.matchedAt }));
}
