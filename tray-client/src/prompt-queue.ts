/**
 * @module Which prompt to show, and when: one at a time, urgent ones first, and the do-not-disturb rules for the
 * others — the user's own "do not disturb", a minimum gap after the last prompt (default 6 h), and nothing while the
 * screen is locked or a full-screen app is up. Urgent prompts ignore all three. Postponed prompts come back after
 * their delay, and a prompt with a deadline comes back for its countdown at the latest, which, like an urgent
 * prompt, ignores the do-not-disturb rules.
 */
import type { PromptRequest } from '@fixpoint/protocol';

export interface PromptQueueOptions {
  /** Minimum time between two non-urgent prompts (default 6 h). */
  minGapMs?: number;
  now?: () => number;
  /** True while the screen is locked or a full-screen app is up (see `dnd.ts`). */
  busy?: () => Promise<boolean>;
  /** How soon to look again while `busy` (default 60 s). */
  busyRetryMs?: number;
}

export type NextPrompt = { show: PromptRequest } | { waitMs: number } | { idle: true };

interface Item {
  request: PromptRequest;
  notBefore: number;
}

export const defaultMinGapMs = 6 * 3600_000;

export class PromptQueue {
  private readonly items = new Map<string, Item>();
  private lastShownAt = Number.NEGATIVE_INFINITY;
  private dndUntil = 0;
  /** The prompt on screen, if any. */
  current: string | null = null;

  constructor(private readonly options: PromptQueueOptions = {}) {}

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  /** Adds or refreshes a prompt; a later `notBefore` (a postpone the agent remembers) is kept. */
  upsert(request: PromptRequest): void {
    const known = this.items.get(request.requestId);
    const notBefore = Math.max(request.notBefore ? Date.parse(request.notBefore) : 0, known?.notBefore ?? 0);
    this.items.set(request.requestId, { request, notBefore });
  }

  remove(requestId: string): void {
    this.items.delete(requestId);
    if (this.current === requestId) this.current = null;
  }

  get count(): number {
    return this.items.size;
  }

  get dndActiveUntil(): number | null {
    return this.dndUntil > this.now() ? this.dndUntil : null;
  }

  /** The user's own do-not-disturb (0 turns it off). */
  setDnd(untilMs: number): void {
    this.dndUntil = untilMs;
  }

  /** The prompt left the screen unanswered (postponed or closed): ask again after `delayMs`. */
  snooze(requestId: string, delayMs: number): void {
    const item = this.items.get(requestId);
    const deadline = item?.request.deadline;
    const countdownAt = deadline ? Date.parse(deadline.at) - deadline.countdownSec * 1000 : Infinity;
    if (item) item.notBefore = Math.max(this.now(), Math.min(this.now() + delayMs, countdownAt));
    if (this.current === requestId) this.current = null;
  }

  /** The prompt that goes on screen now. */
  markShown(requestId: string): void {
    this.current = requestId;
    this.lastShownAt = this.now();
  }

  /** The next prompt to show, or how long to wait before asking again. `force`: the user asked to see it. */
  async next(force = false): Promise<NextPrompt> {
    if (this.current) return { idle: true };
    const now = this.now();
    for (const [id, item] of this.items) if (Date.parse(item.request.expiresAt) <= now) this.items.delete(id);
    const ready = [...this.items.values()].filter((i) => force || i.notBefore <= now);
    if (!ready.length) {
      const soonest = Math.min(...[...this.items.values()].map((i) => i.notBefore));
      return Number.isFinite(soonest) ? { waitMs: soonest - now } : { idle: true };
    }
    ready.sort((a, b) => rank(a, now) - rank(b, now) || Date.parse(a.request.expiresAt) - Date.parse(b.request.expiresAt));
    const top = ready[0]!;
    if (rank(top, now) === 0 || force) return { show: top.request };
    if (this.dndUntil > now) return { waitMs: this.dndUntil - now };
    const gapEnds = this.lastShownAt + (this.options.minGapMs ?? defaultMinGapMs);
    if (gapEnds > now) return { waitMs: gapEnds - now };
    if (await this.options.busy?.()) return { waitMs: this.options.busyRetryMs ?? 60_000 };
    return { show: top.request };
  }
}

/** 0 for an urgent prompt or one whose countdown has begun, 1 for the others. */
function rank(i: Item, now: number): number {
  const d = i.request.deadline;
  return i.request.urgency === 'urgent' || (d && Date.parse(d.at) - d.countdownSec * 1000 <= now) ? 0 : 1;
}
