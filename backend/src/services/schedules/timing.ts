import { invalid } from '../../errors';
import { CronError, nextCronFire, parseCron } from './cron';

export interface Timing {
  cron: string | null;
  intervalSec: number | null;
}

/**
 * When a schedule fires next, strictly after `after`. An interval keeps its phase: it counts from the previous
 * due time, skipping the fires that were missed (say, while every backend was down) rather than replaying them.
 * Returns null when a cron expression never fires.
 */
export function nextRunAt(timing: Timing, after: Date, previousDue?: Date | null): Date | null {
  if (timing.cron !== null) return nextCronFire(parseCron(timing.cron), after);
  const step = timing.intervalSec! * 1000;
  if (!previousDue) return new Date(after.getTime() + step);
  const missed = Math.max(0, Math.floor((after.getTime() - previousDue.getTime()) / step));
  return new Date(previousDue.getTime() + (missed + 1) * step);
}

/** Checks the timing of a schedule being saved and returns its first fire; 400 with `path: cron` when unusable. */
export function firstRunAt(timing: Timing, now: Date): Date {
  if ((timing.cron === null) === (timing.intervalSec === null)) throw invalid('give exactly one of cron and intervalSec', [{ path: 'cron', message: 'give exactly one of cron and intervalSec' }]);
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
