import type { DetectionDryRun, DetectionVerdict } from '@fixpoint/protocol';
import type { AppContext } from '../../context';
import { loadAutomatedAction, matchDevicePages, parseDeviceCondition } from '../automation';
import { judge, type Candidate } from './guards';
import { loadRuleOr404 } from './read';
import { loadCandidatesFor, loadRuleSnapshot } from './snapshot';

/** Devices listed in a dry run; the counts cover every matching device. */
const listed = 1000;

/**
 * Which devices the rule would fire on now, and why the others would not: the condition is evaluated over the
 * fleet afresh and every matching device is judged by the same guards as firing, in the order firing takes them
 * (devices already known to match first, oldest first). Nothing is written.
 */
export async function dryRunDetectionRule(ctx: AppContext, id: string): Promise<DetectionDryRun> {
  const rule = await loadRuleOr404(ctx, id);
  const now = ctx.now();
  const target = parseDeviceCondition(rule.condition, now);
  const action = await loadAutomatedAction(ctx, rule.actionId);
  const matched: (Candidate & { name: string; matchedAt: Date | null })[] = [];
  for await (const page of matchDevicePages(ctx, target))
    matched.push(...(await loadCandidatesFor(ctx.db, rule.id, now, page.map((d) => d.id))));
  matched.sort((a, b) => (a.matchedAt?.getTime() ?? Infinity) - (b.matchedAt?.getTime() ?? Infinity) || (a.deviceId < b.deviceId ? -1 : 1));

  const snapshot = await loadRuleSnapshot(ctx.db, rule, action.platforms, new Set(matched.map((m) => m.deviceId)));
  const verdicts = judge(now, snapshot, matched);
  const counts: Partial<Record<DetectionVerdict, number>> = {};
  for (const v of verdicts) counts[v.verdict] = (counts[v.verdict] ?? 0) + 1;
  return {
    ruleId: rule.id,
    evaluatedAt: now.toISOString(),
    matching: matched.length,
    wouldFire: counts.fires ?? 0,
    verdicts: counts,
    devices: verdicts.slice(0, listed).map((v, i) => ({ deviceId: v.deviceId, deviceName: matched[i]!.name, verdict: v.verdict, detail: v.detail })),
    truncated: verdicts.length > listed,
  };
}
