import { scheduleLimits, type ScheduleTimezone } from '@fixpoint/protocol';
import { invalid } from '../../errors';
import { CronError, nextCronFire, parseCron } from './cron';

export interface Timing {
  cron: string | null;
  intervalSec: number | null;
  /** `device`: the cron reads device clocks (see `deviceOccurrence`); UTC when absent. */
  timezone?: ScheduleTimezone;
}

const leadMs = scheduleLimits.deviceLeadSec * 1000;

/**
 * When a schedule fires next, strictly after `after`. An interval keeps its phase: it counts from the previous
 * due time, skipping the fires that were missed (say, while every backend was down) rather than replaying them.
 * A cron in device time fires when the earliest time zone (UTC+14) reaches the occurrence, 14 hours before the
 * same wall-clock time in UTC. Returns null when a cron expression never fires.
 */
export function nextRunAt(timing: Timing, after: Date, previousDue?: Date | null): Date | null {
  if (timing.cron !== null) {
    if (timing.timezone !== 'device') return nextCronFire(parseCron(timing.cron), after);
    const wall = nextCronFire(parseCron(timing.cron), new Date(after.getTime() + leadMs));
    return wall && new Date(wall.getTime() - leadMs);
  }
  const step = timing.intervalSec! * 1000;
  if (!previousDue) return new Date(after.getTime() + step);
  const missed = Math.max(0, Math.floor((after.getTime() - previousDue.getTime()) / step));
  return new Date(previousDue.getTime() + (missed + 1) * step);
}

/**
 * The wall-clock time a device-time firing due at `dueAt` stands for, as UTC-less milliseconds (the inverse of
 * `nextRunAt`'s lead): format it with `wallClock` for the envelope.
 */
export function deviceOccurrence(dueAt: Date): number {
  return dueAt.getTime() + leadMs;
}

/** `2025-05-01T09:00:00`: milliseconds read as a wall-clock time with no zone, the form agents read on their own clock. */
export function wallClock(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19);
}

/** Checks the timing of a schedule being saved and returns its first fire; 400 with `path: cron` when unusable. */
export function firstRunAt(timing: Timing, now: Date): Date {
  if ((timing.cron === null) === (timing.intervalSec === null)) throw invalid('give exactly one of cron and intervalSec', [{ path: 'cron', message: 'give exactly one of cron and intervalSec' }]);
  if (timing.timezone === 'device' && timing.cron === null)
    throw invalid('a schedule in device time needs a cron expression', [{ path: 'timezone', message: 'a schedule in device time needs a cron expression' }]);
  let next: Date | null;
  try {
    next = nextRunAt(timing, now);
  } catch (error) {
    if (error instanceof CronError) throw invalid(`cron: ${error.message}`, [{ path: 'cron', message: error.message }]);
    throw error;
  }
  if (!next) throw invalid('cron: this expression never fires', [{ path: 'cron', message: 'this expression never fires' }]);
  return next;
}
