/**
 * @module The guard decision, as a pure function: given a rule's fleet-wide counters and the devices waiting for a
 * run, which fire now and why the others do not. Firing and the dry run both use it, so a dry run shows exactly
 * what firing would do.
 */
import { formatDuration, type DetectionGuards, type DetectionVerdict, type Platform } from '@fixpoint/protocol';

const day = 86_400_000;

export interface RuleSnapshot {
  enabled: boolean;
  pausedByBreaker: boolean;
  /** Why the rule's owner cannot fire it (it is paused for that, or a dry run found it), or null. */
  ownerProblem: string | null;
  guards: DetectionGuards;
  /** Whether the staged rollout is past its canary (always true with `canaryPercent: 0`). */
  canaryPassed: boolean;
  /** Devices matching now; the canary is a share of them. */
  matching: number;
  /** Devices the rule fired on since the rollout started: the canary cohort. */
  cohort: ReadonlySet<string>;
  /** Runs of the rule reserved, queued or running. */
  inFlight: number;
  /** Platforms the action has a script for. */
  platforms: ReadonlySet<Platform>;
}

export interface Candidate {
  deviceId: string;
  platform: Platform;
  /** Wants a run: it just started matching, or a run ended while it still matches. */
  pending: boolean;
  /** Runs since it started matching. */
  attempts: number;
  /** A run of this rule is reserved, queued or running on it. */
  inFlight: boolean;
  lastFiredAt: Date | null;
  /** Runs of this rule on it in the last 24 hours, and the oldest of them. */
  runsLastDay: number;
  oldestRunLastDay: Date | null;
}

export interface Verdict {
  deviceId: string;
  verdict: DetectionVerdict;
  detail: string;
  /** A per-device guard holds the device until then. */
  notBefore?: Date;
  /** No more attempts until the device passes. */
  exhausted?: boolean;
}

/** Devices in the canary: a share of those matching, at least one; 0 when the rollout is not staged. */
export function canarySize(percent: number, matching: number): number {
  return percent <= 0 ? 0 : Math.max(1, Math.ceil((matching * percent) / 100));
}

/** Time left in human units, as the dry run shows it: "44 min", "1 h 5 min". */
const timeLeft = (ms: number) => formatDuration(Math.ceil(ms / 1000));

/**
 * Judges candidates in order (oldest match first): per-device guards first (attempts, cooldown, daily limit), then
 * the fleet-wide ones (concurrency cap, canary), whose counters each firing uses up.
 */
export function judge(now: Date, rule: RuleSnapshot, candidates: readonly Candidate[]): Verdict[] {
  const g = rule.guards;
  let inFlight = rule.inFlight;
  const cohort = new Set(rule.cohort);
  const size = canarySize(g.canaryPercent, rule.matching);
  return candidates.map((c): Verdict => {
    const verdict = (v: DetectionVerdict, detail: string, extra: Partial<Verdict> = {}): Verdict => ({ deviceId: c.deviceId, verdict: v, detail, ...extra });
    if (!rule.enabled) return verdict('disabled', 'the rule is disabled');
    if (rule.ownerProblem) return verdict('paused', `paused: ${rule.ownerProblem}; saving or resuming it makes you the owner`);
    if (rule.pausedByBreaker) return verdict('paused', 'the circuit breaker paused the rule; resume it to fire again');
    if (c.inFlight) return verdict('in_flight', 'a run of this rule is queued or running on the device');
    if (!c.pending) return verdict('already_handled', `fired ${c.attempts === 1 ? 'once' : `${c.attempts} times`} since the device started matching; fires again once it passes and matches anew`);
    if (!rule.platforms.has(c.platform)) return verdict('no_script', `the action has no ${c.platform} script`);
    if (c.attempts >= g.maxAttempts)
      return verdict('max_attempts', `${c.attempts} of ${g.maxAttempts} attempts used; they reset when the device passes`, { exhausted: true });
    if (c.lastFiredAt && now.getTime() - c.lastFiredAt.getTime() < g.cooldownSec * 1000) {
      const until = new Date(c.lastFiredAt.getTime() + g.cooldownSec * 1000);
      return verdict('cooldown', `cooling down for ${timeLeft(until.getTime() - now.getTime())}`, { notBefore: until });
    }
    if (c.runsLastDay >= g.maxRunsPerDevicePerDay) {
      const until = new Date((c.oldestRunLastDay ?? now).getTime() + day);
      return verdict('daily_limit', `${c.runsLastDay} runs in the last 24 h (limit ${g.maxRunsPerDevicePerDay}); the next in ${timeLeft(until.getTime() - now.getTime())}`, { notBefore: until });
    }
    // details name the rule's settings, never fleet-wide counts: a dry run is read by callers scoped to part of the fleet
    if (inFlight >= g.maxConcurrent) return verdict('concurrency_cap', `the rule already has its cap of ${g.maxConcurrent} runs queued or running`);
    if (!rule.canaryPassed && size > 0 && !cohort.has(c.deviceId) && cohort.size >= size)
      return verdict('canary', `waiting for the canary (${g.canaryPercent} % of matching devices) to succeed before the rest run`);
    inFlight++;
    cohort.add(c.deviceId);
    return verdict('fires', c.attempts ? `attempt ${c.attempts + 1} of ${g.maxAttempts}` : 'started matching');
  });
}
