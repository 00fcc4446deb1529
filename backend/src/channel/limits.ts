/**
 * @module How much an authenticated device may send. Both checks are a few arithmetic operations in memory: the
 * channel's hot path never waits on the database for them.
 */

/**
 * Frames a connection may send at once, and how fast that budget comes back. Far above what an agent sends: a
 * reconnect hands over every unacknowledged result at once, then a status or two per run and facts now and then.
 */
export const frameLimits = { burst: 2000, perSecond: 200, dropsBeforeClose: 1000 };

/**
 * Facts snapshots a device may store per minute, whichever connection they come on; extra ones are refused. The
 * agent sends facts at most every 2 s (after a change) and on each connection, so this is twice its worst case.
 */
export const factsPerMinute = 60;

/**
 * A token bucket over one connection's frames. While it is empty frames are dropped; the first drop of each episode
 * is worth one `rate_limited` reply. An episode ends only once the bucket is back to half full, so a peer that keeps
 * sending faster than the refill piles up drops, and past `dropsBeforeClose` it is a flood, not an agent catching up:
 * the connection is closed.
 */
export class FrameBudget {
  private tokens = frameLimits.burst;
  private at: number;
  private drops = 0;

  constructor(now: number) {
    this.at = now;
  }

  /** `ok` to handle the frame; `limited` to drop it and say so once; `drop` to drop it quietly; `close` to hang up. */
  take(now: number): 'ok' | 'limited' | 'drop' | 'close' {
    this.tokens = Math.min(frameLimits.burst, this.tokens + ((now - this.at) * frameLimits.perSecond) / 1000);
    this.at = now;
    if (this.drops && this.tokens >= frameLimits.burst / 2) this.drops = 0;
    if (this.tokens >= 1) {
      this.tokens--;
      return 'ok';
    }
    this.drops++;
    return this.drops === 1 ? 'limited' : this.drops >= frameLimits.dropsBeforeClose ? 'close' : 'drop';
  }
}

/** Counts facts per device in fixed one-minute windows; stale windows are swept as the map grows. */
export class FactsQuota {
  private readonly windows = new Map<string, { start: number; count: number }>();
  private sweepAt = 1024;

  /** True when this device may store one more facts snapshot now (and counts it). */
  take(deviceId: string, now: number): boolean {
    const window = this.windows.get(deviceId);
    if (!window || now - window.start >= 60_000) {
      if (!window && this.windows.size >= this.sweepAt) this.sweep(now);
      this.windows.set(deviceId, { start: now, count: 1 });
      return true;
    }
    return ++window.count <= factsPerMinute;
  }

  private sweep(now: number): void {
    for (const [deviceId, window] of this.windows) if (now - window.start >= 60_000) this.windows.delete(deviceId);
    this.sweepAt = Math.max(1024, this.windows.size * 2);
  }
}
