/**
 * @module The circuit breaker that detection rules and staged rollouts share: which outcomes count, which of them
 * are failures, and whether the last results trip it.
 */
import type { BreakerSettings } from '@fixpoint/protocol';

/** Outcomes the breaker counts, and which of them are failures. Canceled and expired runs never ran: neither. */
export const countedStatuses = ['succeeded', 'failed', 'timed_out', 'launch_failed'] as const;
export const failedStatuses = ['failed', 'timed_out', 'launch_failed'] as const;

export const isFailure = (status: string) => (failedStatuses as readonly string[]).includes(status);

/**
 * Given the most recent counted outcomes (newest first, at most `window` of them), the reason the breaker trips,
 * or null when it holds: fewer than `minResults` results never trip it.
 */
export function breakerTrip(recent: readonly string[], { minResults, failureRate }: BreakerSettings): string | null {
  const failures = recent.filter(isFailure).length;
  if (recent.length < minResults || failures / recent.length < failureRate) return null;
  return `${failures} of the last ${recent.length} runs failed (threshold ${Math.round(failureRate * 100)} %)`;
}
