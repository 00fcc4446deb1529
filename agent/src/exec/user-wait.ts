/**
 * @module Holding a `runAs: user` envelope while nobody is logged in at the console (`whenNoUser: wait`): it waits,
 * off the run queue, until a console session starts or the envelope expires. Not journaled while it waits: after a
 * restart the server sends it again and it waits anew.
 */

/** How a hold ended: someone is at the console, nobody was (`skip`), the envelope expired, it was canceled, or the agent stopped. */
export type UserWaitEnd = 'user' | 'no_user' | 'expired' | 'canceled' | 'stopped';

export interface UserWaitOptions {
  /** Whether someone is logged in at the console now. */
  hasUser(): Promise<boolean>;
  now(): Date;
  /** How often to look for a console session (default 5 s). */
  pollMs?: number;
}

/** A hold ends this long before the envelope's expiry. */
export const expiryMarginMs = 5000;

interface Hold {
  timer: NodeJS.Timeout | null;
  end(how: UserWaitEnd): void;
}

export class UserWaits {
  private readonly holds = new Map<string, Hold>();

  constructor(private readonly options: UserWaitOptions) {}

  has(id: string): boolean {
    return this.holds.has(id);
  }

  get size(): number {
    return this.holds.size;
  }

  /**
   * Resolves once someone is at the console (`user`), at once with `no_user` when `wait` is false and nobody is,
   * shortly before `expiresAt` with `expired`, or with `canceled`/`stopped`. Registered synchronously, so `has` is true at once.
   */
  wait(id: string, expiresAt: string, wait: boolean): Promise<UserWaitEnd> {
    return new Promise((resolve) => {
      const hold: Hold = {
        timer: null,
        end: (how) => {
          if (this.holds.get(id) !== hold) return;
          this.holds.delete(id);
          if (hold.timer) clearTimeout(hold.timer);
          resolve(how);
        },
      };
      this.holds.set(id, hold);
      const look = async () => {
        hold.timer = null;
        const present = await this.options.hasUser().catch(() => false);
        if (present) return hold.end('user');
        if (!wait) return hold.end('no_user');
        // ends a little before the expiry, so the no-user result reaches the backend before its expiry sweep does
        const left = Date.parse(expiresAt) - expiryMarginMs - this.options.now().getTime();
        if (left <= 0) return hold.end('expired');
        if (this.holds.get(id) === hold) hold.timer = setTimeout(() => void look(), Math.min(this.options.pollMs ?? 5000, left));
      };
      void look();
    });
  }

  /** Ends a hold as canceled; false when the id is not held. */
  cancel(id: string): boolean {
    const hold = this.holds.get(id);
    hold?.end('canceled');
    return hold !== undefined;
  }

  stop(): void {
    for (const hold of [...this.holds.values()]) hold.end('stopped');
  }
}
