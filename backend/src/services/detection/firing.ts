/**
 * @module Firing: takes the devices waiting for a run of a rule, lets the guards decide, reserves a slot per device
 * fired (a `launching` event) under the rule's row lock (`for no key update`, which leaves foreign-key checks of
 * concurrent state and event inserts unblocked), then launches outside the lock. Reserving first keeps the
 * concurrency cap and the canary exact across backend instances; launching outside keeps the lock short.
 */
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { WebhookDetectionPausedData } from '@fixpoint/protocol';
import type { AppContext } from '../../context';
import type { Tx } from '../../db';
import { detectionEvents, detectionRules, detectionState } from '../../db/schema';
import type { Principal } from '../identity/rights';
import { appendAudit } from '../audit';
import { deviceScopeCondition } from '../devices/scope';
import { enqueueWebhookEvents } from '../webhooks';
import { launchExecutions } from '../executions';
import { actAsOwner, awaitingApproval, loadAutomatedAction, mayRun, ownerOf, type AutomatedAction } from '../automation';
import { judge, type Verdict } from './guards';
import { loadDueCandidates, loadRuleSnapshot, type RuleRow } from './snapshot';

/** Devices judged per round; more wait for the next round (each outcome and each sweep starts one). */
const roundSize = 2000;

/** The label launches, executions and audit entries of a rule carry. */
export const ruleLabel = (ruleId: string) => `detection:${ruleId}`;

/** The `detection.paused` webhook event's data. */
export const pausedData = (ruleId: string, name: string, cause: 'breaker' | 'owner', reason: string, at: Date): WebhookDetectionPausedData => ({
  ruleId,
  name,
  cause,
  reason,
  pausedAt: at.toISOString(),
});

export async function loadRule(ctx: AppContext, ruleId: string): Promise<RuleRow | undefined> {
  const [row] = await ctx.db.select().from(detectionRules).where(eq(detectionRules.id, ruleId));
  return row;
}

/**
 * The principal a rule fires as: its owner's rights as they are now. When the owner is gone or may no longer run
 * the action, the rule is paused (`pausedForOwner`, with the reason) and null is returned: nothing fires.
 */
export async function ruleActor(ctx: AppContext, rule: RuleRow, slug: string): Promise<Principal | null> {
  const acting = await actAsOwner(ctx, ruleLabel(rule.id), ownerOf(rule), mayRun(slug));
  if (acting.ok) return acting.principal;
  const now = ctx.now();
  const paused = await ctx.db.transaction(async (tx) => {
    const [locked] = await tx.select().from(detectionRules).where(eq(detectionRules.id, rule.id)).for('no key update');
    if (!locked || locked.pausedForOwner) return false;
    await tx.update(detectionRules).set({ pausedForOwner: true, pausedReason: acting.reason, pausedAt: now }).where(eq(detectionRules.id, rule.id));
    await appendAudit(tx, { actor: ruleLabel(rule.id), action: 'detection.pause', target: `detection:${rule.id}`, details: { name: rule.name, owner: rule.ownerLabel, reason: acting.reason } }, now);
    await enqueueWebhookEvents(ctx, tx, [{ event: 'detection.paused', key: `${rule.id}:${now.toISOString()}`, data: pausedData(rule.id, rule.name, 'owner', acting.reason, now) }]);
    return true;
  });
  if (paused) ctx.log.warn('detection rule paused', { rule: rule.id, reason: acting.reason });
  return null;
}

export interface FiringResult {
  /** Executions launched. */
  executionIds: string[];
  /** Devices whose launch failed (recorded as `launch_failed` events). */
  launchFailed: string[];
}

const nothing: FiringResult = { executionIds: [], launchFailed: [] };

/**
 * Fires what the guards allow for one rule (optionally only among `deviceIds`). Never throws for a launch
 * problem: it is recorded on the events as `launch_failed`, for the breaker to count.
 */
export async function fireRule(ctx: AppContext, ruleId: string, deviceIds?: readonly string[]): Promise<FiringResult> {
  const rule = await loadRule(ctx, ruleId);
  if (!rule || !rule.enabled || rule.pausedByBreaker || rule.pausedForOwner) return nothing;
  let action: AutomatedAction;
  try {
    action = await loadAutomatedAction(ctx, rule.actionId);
  } catch (error) {
    ctx.log.warn('detection rule cannot fire', { rule: ruleId, error: String(error) });
    return nothing;
  }
  // An edited action awaits its review: devices keep waiting, using no attempt and giving the breaker nothing to count;
  // the health says why, and the sweep fires them once the version is approved.
  if (awaitingApproval(ctx, action, 'detection')) return nothing;
  const principal = await ruleActor(ctx, rule, action.slug);
  if (!principal) return nothing;
  const scope = deviceScopeCondition(principal);
  const now = ctx.now();
  const reserved = await ctx.db.transaction(async (tx) => {
    const [locked] = await tx.select().from(detectionRules).where(eq(detectionRules.id, ruleId)).for('no key update');
    if (!locked || !locked.enabled || locked.pausedByBreaker || locked.pausedForOwner) return [];
    // devices the owner's scope no longer reaches wait, unjudged, in case it reaches them again
    const candidates = await loadDueCandidates(tx, ruleId, now, { ...(deviceIds && { deviceIds }), limit: roundSize, scope });
    if (!candidates.length) return [];
    const snapshot = await loadRuleSnapshot(tx, locked, action.platforms);
    const verdicts = judge(now, snapshot, candidates);
    const attempts = new Map(candidates.map((c) => [c.deviceId, c.attempts]));
    const firing = verdicts.filter((v) => v.verdict === 'fires').map((v) => v.deviceId);
    await recordVerdicts(tx, ruleId, verdicts.filter((v) => v.verdict !== 'fires'));
    if (!firing.length) return [];
    await tx
      .update(detectionState)
      .set({ attempts: sql`${detectionState.attempts} + 1`, pending: false, notBefore: null, blockedBy: null })
      .where(and(eq(detectionState.ruleId, ruleId), inArray(detectionState.deviceId, firing)));
    return tx
      .insert(detectionEvents)
      .values(firing.map((deviceId) => ({ ruleId, deviceId, firedAt: now, attempt: (attempts.get(deviceId) ?? 0) + 1, status: 'launching' as const })))
      .returning({ id: detectionEvents.id, deviceId: detectionEvents.deviceId });
  });
  if (!reserved.length) return nothing;
  return launch(ctx, rule, action, principal, reserved);
}

/** Stores why devices did not fire; per-device holds (cooldown, daily limit) and exhausted attempts stop re-judging. */
async function recordVerdicts(tx: Tx, ruleId: string, verdicts: Verdict[]) {
  if (!verdicts.length) return;
  const rows = verdicts.map((v) => ({ device_id: v.deviceId, blocked_by: v.verdict, not_before: v.notBefore?.toISOString() ?? null, pending: !v.exhausted }));
  await tx.execute(sql`
    update ${detectionState} set blocked_by = v.blocked_by, not_before = v.not_before, pending = v.pending
    from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as v(device_id uuid, blocked_by text, not_before timestamptz, pending boolean)
    where ${detectionState.ruleId} = ${ruleId} and ${detectionState.deviceId} = v.device_id`);
}

async function launch(
  ctx: AppContext,
  rule: RuleRow,
  action: AutomatedAction,
  principal: Principal,
  reserved: { id: string; deviceId: string }[],
): Promise<FiringResult> {
  const eventIds = reserved.map((r) => r.id);
  try {
    const { response } = await launchExecutions(ctx, {
      principal,
      trigger: 'detection',
      request: {
        action: action.actionId,
        devices: reserved.map((r) => r.deviceId),
        parameters: rule.parameters,
        triggerInfo: { reason: `detection rule ${rule.name}`.slice(0, 2000) },
      },
    });
    const byDevice = new Map(response.executions.map((e) => [e.deviceId, e.id]));
    const rows = reserved.map((r) => ({ id: r.id, execution_id: byDevice.get(r.deviceId) }));
    await ctx.db.execute(sql`
      update ${detectionEvents} set status = 'launched', execution_id = v.execution_id, request_id = ${response.requestId}::uuid
      from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as v(id uuid, execution_id uuid)
      where ${detectionEvents.id} = v.id and ${detectionEvents.status} = 'launching'`);
    return { executionIds: [...byDevice.values()], launchFailed: [] };
  } catch (error) {
    const message = (error instanceof Error ? error.message : String(error)).slice(0, 2000);
    ctx.log.warn('detection rule launch failed', { rule: rule.id, error: message });
    await ctx.db
      .update(detectionEvents)
      .set({ status: 'launch_failed', error: message, finishedAt: ctx.now() })
      .where(and(inArray(detectionEvents.id, eventIds), eq(detectionEvents.status, 'launching')));
    return { executionIds: [], launchFailed: reserved.map((r) => r.deviceId) };
  }
}
