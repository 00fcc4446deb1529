/**
 * @module Matching: which devices a rule's condition holds for. A state row per (rule, device) exists while the
 * device matches, so inserting one is the not-matching → matching transition that fires the rule, and deleting
 * one (the device passes) resets its attempts.
 */
import { randomUUID } from 'node:crypto';
import { and, eq, inArray, ne, type SQL } from 'drizzle-orm';
import type { AppContext } from '../../context';
import { detectionRules, detectionState } from '../../db/schema';
import { actionSummaries, matchDevicePages, parseDeviceCondition, savedTargetCondition, type DeviceTarget } from '../automation';
import { deviceScopeCondition } from '../devices/scope';
import { advanceRule } from './outcomes';
import { ruleActor } from './firing';
import type { RuleRow } from './snapshot';

// Parsed conditions per rule, so a stream of device changes does not re-parse every rule each time.
const parsed = new WeakMap<AppContext, Map<string, { condition: string; target: DeviceTarget }>>();

function targetOf(ctx: AppContext, rule: RuleRow): DeviceTarget {
  let cache = parsed.get(ctx);
  if (!cache) parsed.set(ctx, (cache = new Map()));
  const hit = cache.get(rule.id);
  if (hit?.condition === rule.condition) return hit.target;
  const target = parseDeviceCondition(rule.condition, ctx.now());
  cache.set(rule.id, { condition: rule.condition, target });
  return target;
}

/**
 * The device scope of the rule's owner now, ANDed with the saved query the rule is narrowed to (read now), which
 * every match is ANDed with; null after pausing a rule whose owner is gone or may no longer run its action.
 */
async function ownerScope(ctx: AppContext, rule: RuleRow, slug: string | undefined): Promise<{ scope: SQL | undefined } | null> {
  const principal = await ruleActor(ctx, rule, slug ?? rule.actionId);
  if (!principal) return null;
  try {
    return { scope: and(deviceScopeCondition(principal), await savedTargetCondition(ctx.db, rule.savedQueryId, ctx.now())) };
  } catch (error) {
    // saved queries a rule uses stay conditions and cannot be deleted; this is a change made underneath
    ctx.log.error('detection rule saved query unusable', { rule: rule.id, error: String(error) });
    return null;
  }
}

/**
 * Records that these devices match and returns the ones that just started matching (rows inserted). A fleet-wide
 * pass (`evaluationId` refresh) stamps existing rows too, so rows it did not stamp can be dropped afterwards.
 */
async function markMatching(ctx: AppContext, ruleId: string, deviceIds: string[], evaluationId: string, refresh: boolean): Promise<string[]> {
  if (!deviceIds.length) return [];
  const now = ctx.now();
  const insert = ctx.db.insert(detectionState).values(deviceIds.map((deviceId) => ({ ruleId, deviceId, matchedAt: now, evaluationId, pending: true })));
  if (refresh) {
    await insert.onConflictDoUpdate({ target: [detectionState.ruleId, detectionState.deviceId], set: { evaluationId } });
    return [];
  }
  const rows = await insert.onConflictDoNothing().returning({ deviceId: detectionState.deviceId });
  return rows.map((r) => r.deviceId);
}

/**
 * Re-evaluates enabled rules for devices whose fields changed, and fires the rules for devices that just
 * started matching. Each rule costs one query per batch of devices.
 */
export async function evaluateDevices(ctx: AppContext, deviceIds: readonly string[]): Promise<void> {
  if (!deviceIds.length) return;
  const rules = await ctx.db.select().from(detectionRules).where(and(eq(detectionRules.enabled, true), eq(detectionRules.pausedForOwner, false)));
  const actions = await actionSummaries(ctx.db, rules.map((r) => r.actionId));
  for (const rule of rules) {
    let target: DeviceTarget;
    try {
      target = targetOf(ctx, rule);
    } catch (error) {
      ctx.log.error('detection rule condition no longer compiles', { rule: rule.id, error: String(error) });
      continue;
    }
    const owner = await ownerScope(ctx, rule, actions.get(rule.actionId)?.slug);
    if (!owner) continue;
    const matched: string[] = [];
    for await (const page of matchDevicePages(ctx, target, { deviceIds, scope: owner.scope })) matched.push(...page.map((d) => d.id));
    const matchedSet = new Set(matched);
    const passed = deviceIds.filter((id) => !matchedSet.has(id));
    if (passed.length) await ctx.db.delete(detectionState).where(and(eq(detectionState.ruleId, rule.id), inArray(detectionState.deviceId, passed)));
    const started = await markMatching(ctx, rule.id, matched, randomUUID(), false);
    if (started.length && !rule.pausedByBreaker) await advanceRule(ctx, rule.id, started);
  }
}

/**
 * Evaluates a rule over the whole fleet (created, changed, enabled or resumed): devices that match and had no
 * state start matching, states of devices that no longer match go, then the rule fires. A disabled rule keeps no
 * state. Returns how many devices match.
 */
export async function evaluateRuleFleet(ctx: AppContext, ruleId: string): Promise<number> {
  const [rule] = await ctx.db.select().from(detectionRules).where(eq(detectionRules.id, ruleId));
  if (!rule) return 0;
  if (!rule.enabled) {
    await ctx.db.delete(detectionState).where(eq(detectionState.ruleId, ruleId));
    return 0;
  }
  const owner = rule.pausedForOwner ? null : await ownerScope(ctx, rule, (await actionSummaries(ctx.db, [rule.actionId])).get(rule.actionId)?.slug);
  if (!owner) return 0;
  const evaluationId = randomUUID();
  let matching = 0;
  for await (const page of matchDevicePages(ctx, targetOf(ctx, rule), { scope: owner.scope })) {
    matching += page.length;
    await markMatching(ctx, ruleId, page.map((d) => d.id), evaluationId, true);
  }
  await ctx.db.delete(detectionState).where(and(eq(detectionState.ruleId, ruleId), ne(detectionState.evaluationId, evaluationId)));
  if (!rule.pausedByBreaker) await advanceRule(ctx, ruleId);
  return matching;
}
