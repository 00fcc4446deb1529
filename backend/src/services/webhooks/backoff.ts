/** @module When a failed delivery is tried again. */

/** Waits before attempt 2, 3, …, 8; the last one repeats if more attempts are allowed. About 19 hours in all. */
export const defaultBackoffScheduleMs: readonly number[] = [
  10_000, 30_000, 2 * 60_000, 10 * 60_000, 60 * 60_000, 6 * 60 * 60_000, 12 * 60 * 60_000,
];

/** Attempts before a delivery is marked `failed`. */
export const defaultMaxAttempts = 8;

/**
 * Delay after the `attempt`-th failed attempt (1-based): the schedule entry with ±20 % jitter, so deliveries
 * that failed together (a receiver outage) do not all come back in the same second.
 */
export function backoffDelayMs(attempt: number, schedule: readonly number[] = defaultBackoffScheduleMs, random = Math.random): number {
  const base = schedule[Math.min(Math.max(attempt, 1), schedule.length) - 1] ?? 0;
  return Math.round(base * (0.8 + 0.4 * random()));
}
