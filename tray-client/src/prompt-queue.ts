/**
 * @module Which prompt to show, and when: one at a time, urgent ones first, and the do-not-disturb rules for the
 * others — the user's own "do not disturb", a minimum gap after the last prompt (default 6 h), and nothing while the
 * screen is locked or a full-screen app is up. Urgent prompts ignore all three. Postponed prompts come back after
 * their delay.
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
    if (item) item.notBefore = this.now() + delayMs;
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
    ready.sort((a, b) => rank(a) - rank(b) || Date.parse(a.request.expiresAt) - Date.parse(b.request.expiresAt));
    const top = ready[0]!.request;
    if (top.urgency === 'urgent' || force) return { show: top };
    if (this.dndUntil > now) return { waitMs: this.dndUntil - now };
    const gapEnds = this.lastShownAt + (this.options.minGapMs ?? defaultMinGapMs);
    if (gapEnds > now) return { waitMs: gapEnds - now };
    if (await this.options.busy?.()) return { waitMs: this.options.busyRetryMs ?? 60_000 };
    return { show: top };
  }
}

const rank = (i: Item) => (i.request.urgency === 'urgent' ? 0 : 1);
