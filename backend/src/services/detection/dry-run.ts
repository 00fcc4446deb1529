import { and } from 'drizzle-orm';
import type { DetectionDryRun, DetectionVerdict } from '@fixpoint/protocol';
import type { AppContext } from '../../context';
import { anyId } from '../../db/any-id';
import { devices } from '../../db/schema';
import type { Principal } from '../identity/rights';
import { actAsOwner, loadAutomatedAction, matchDevicePages, mayRun, ownerOf, parseDeviceCondition, savedTargetCondition } from '../automation';
import { deviceScopeCondition, seesAllDevices } from '../devices/scope';
import { judge, type Candidate } from './guards';
import { ruleLabel } from './firing';
import { loadRuleOr404 } from './read';
import { loadCandidatesFor, loadRuleSnapshot } from './snapshot';

/** Devices listed in a dry run; the counts cover every matching device the caller reaches. */
const listed = 1000;

/**
 * Which devices the rule would fire on now, and why the others would not: the condition, ANDed with the owner's
 * device scope, is evaluated over the fleet afresh and every matching device is judged by the same guards as
 * firing, in the order firing takes them (devices already known to match first, oldest first). Only devices in the
 * caller's own scope are listed or counted, so a dry run reveals nothing about others, not even whether they match.
 * An owner who may no longer fire the rule shows as `paused`. Nothing is written.
 */
export async function dryRunDetectionRule(ctx: AppContext, input: { principal: Principal; id: string }): Promise<DetectionDryRun> {
  const rule = await loadRuleOr404(ctx, input.id);
  const now = ctx.now();
  const target = parseDeviceCondition(rule.condition, now);
  const action = await loadAutomatedAction(ctx, rule.actionId);
  const acting = await actAsOwner(ctx, ruleLabel(rule.id), ownerOf(rule), mayRun(action.slug));
  // without an owner who may fire, nothing would: judge the caller's matches against the rule as paused
  const scope = and(acting.ok ? deviceScopeCondition(acting.principal) : deviceScopeCondition(input.principal), await savedTargetCondition(ctx.db, rule.savedQueryId, now));
  const matched: (Candidate & { name: string; matchedAt: Date | null })[] = [];
  for await (const page of matchDevicePages(ctx, target, { scope }))
    matched.push(...(await loadCandidatesFor(ctx.db, rule.id, now, page.map((d) => d.id))));
  matched.sort((a, b) => (a.matchedAt?.getTime() ?? Infinity) - (b.matchedAt?.getTime() ?? Infinity) || (a.deviceId < b.deviceId ? -1 : 1));

  const snapshot = await loadRuleSnapshot(ctx.db, rule, action.platforms, new Set(matched.map((m) => m.deviceId)));
  if (!acting.ok) snapshot.ownerProblem = acting.reason;
  const visible = await reachable(ctx, input.principal, matched.map((m) => m.deviceId));
  const shown = judge(now, snapshot, matched)
    .map((v, i) => ({ ...v, name: matched[i]!.name }))
    .filter((v) => visible.has(v.deviceId));
  const counts: Partial<Record<DetectionVerdict, number>> = {};
  for (const v of shown) counts[v.verdict] = (counts[v.verdict] ?? 0) + 1;
  return {
    ruleId: rule.id,
    evaluatedAt: now.toISOString(),
    matching: shown.length,
    wouldFire: counts.fires ?? 0,
    verdicts: counts,
    devices: shown.slice(0, listed).map((v) => ({ deviceId: v.deviceId, deviceName: v.name, verdict: v.verdict, detail: v.detail })),
    truncated: shown.length > listed,
  };
}

/** Which of these devices the caller's scope reaches. */
async function reachable(ctx: AppContext, principal: Principal, ids: string[]): Promise<Set<string>> {
  if (seesAllDevices(principal) || !ids.length) return new Set(ids);
  const rows = await ctx.db
    .select({ id: devices.id })
    .from(devices)
    .where(and(anyId(devices.id, ids), deviceScopeCondition(principal)));
  return new Set(rows.map((r) => r.id));
}
