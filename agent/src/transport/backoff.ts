/**
 * @module Reconnect delays: exponential backoff with full jitter (a uniformly random delay up to the
 * exponential bound), so a backend restart does not bring every agent back in the same second.
 */

export interface BackoffOptions {
  baseMs?: number;
  capMs?: number;
  /** A connection that lived this long resets the backoff. */
  stableMs?: number;
  random?: () => number;
}

export class Backoff {
  private attempt = 0;
  private connectedAt: number | null = null;
  private readonly baseMs: number;
  private readonly capMs: number;
  private readonly stableMs: number;
  private readonly random: () => number;

  constructor(options: BackoffOptions = {}) {
    this.baseMs = options.baseMs ?? 1000;
    this.capMs = options.capMs ?? 60_000;
    this.stableMs = options.stableMs ?? 60_000;
    this.random = options.random ?? Math.random;
  }

  /** Call when a connection is established (authenticated). */
  connected(now = Date.now()): void {
    this.connectedAt = now;
  }

  /** The delay before the next attempt. Call once per failed attempt or dropped connection. */
  next(now = Date.now()): number {
    if (this.connectedAt !== null && now - this.connectedAt >= this.stableMs) this.attempt = 0;
    this.connectedAt = null;
    const bound = Math.min(this.capMs, this.baseMs * 2 ** Math.min(this.attempt, 30));
    this.attempt++;
    return Math.floor(this.random() * bound);
  }
}
