/**
 * @module Envelopes held until their signed `notBefore`: schedules in device time (a wall-clock time read on this
 * device's clock) and schedules spread over a window (an instant). A held envelope was verified on arrival; it is
 * released into the run queue at its time, or at its expiry, whichever comes first, and the run queue refuses it
 * then if it expired.
 */

const localTime = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,3}))?$/;

/**
 * When a hold ends, in epoch milliseconds: an instant ending in `Z` as is, a wall-clock time without a zone on
 * this process's clock (its time zone: the system's, or `TZ`). NaN when unreadable.
 *
 * @example holdEndsAt('2025-05-01T09:00:00') // 07:00 UTC on a device in Paris (summer time)
 */
export function holdEndsAt(notBefore: string): number {
  if (notBefore.endsWith('Z')) return Date.parse(notBefore);
  const m = localTime.exec(notBefore);
  if (!m) return Number.NaN;
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const date = new Date(y, mo - 1, d, h, mi, s, Number((m[7] ?? '0').padEnd(3, '0')));
  // Date rolls 2025-02-30 over to March: such a text names no time
  return date.getMonth() === mo - 1 && date.getDate() === d ? date.getTime() : Number.NaN;
}

export interface HeldJob {
  id: string;
  notBefore: string;
  expiresAt: string;
}

/** Longest single wait: a changed wall clock (time zone, daylight saving) is noticed within this. */
const maxWaitMs = 10 * 60_000;

/** The envelopes waiting for their time, each on its own timer; `release` hands one to the run queue. */
export class HeldEnvelopes<J extends HeldJob> {
  private readonly held = new Map<string, { job: J; timer: NodeJS.Timeout }>();

  constructor(
    private readonly now: () => Date,
    private readonly release: (job: J) => void,
  ) {}

  /** True while the hold of `job` has not ended (then it is held, and released later). */
  holdIfEarly(job: J): boolean {
    if (this.dueIn(job) <= 0) return false;
    this.arm(job);
    return true;
  }

  has(id: string): boolean {
    return this.held.has(id);
  }

  get size(): number {
    return this.held.size;
  }

  /** Takes a held job out (a cancel); undefined when it is not held. */
  take(id: string): J | undefined {
    const entry = this.held.get(id);
    if (!entry) return undefined;
    clearTimeout(entry.timer);
    this.held.delete(id);
    return entry.job;
  }

  /** Drops every hold (the agent stops; the server sends them again on the next connection). */
  clear(): void {
    for (const { timer } of this.held.values()) clearTimeout(timer);
    this.held.clear();
  }

  /** Milliseconds until the hold or the expiry ends, whichever is first. */
  private dueIn(job: J): number {
    const end = Math.min(holdEndsAt(job.notBefore), Date.parse(job.expiresAt));
    return end - this.now().getTime();
  }

  private arm(job: J): void {
    const wait = this.dueIn(job);
    if (wait <= 0) {
      this.held.delete(job.id);
      this.release(job);
      return;
    }
    const timer = setTimeout(() => this.arm(job), Math.min(wait, maxWaitMs));
    timer.unref();
    this.held.set(job.id, { job, timer });
  }
}
