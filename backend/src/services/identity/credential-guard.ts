/**
 * @module The gate in front of every password and client-secret check: progressive delays per account (or client
 * id) and per client address, and aggregated audit rows for the failures.
 *
 * State is in memory per backend instance: the check costs no database round trip and an attacker cannot make it
 * write one row per try. With N instances behind one balancer, an attacker who reaches each of them gets N times the
 * free failures, and the waits grow as fast on each.
 */
import type { AppContext } from '../../context';
import { rateLimited } from '../../errors';
import { FailureAudit, type FailureInput } from './failure-audit';
import { accountPolicy, addressPolicy, FailureThrottle } from './throttle';

export interface Attempt {
  /** `user:<e-mail>` or `client:<client id>`: whose credential is being tried. */
  target: string;
  address: string;
}

export class CredentialGuard {
  readonly accounts = new FailureThrottle(accountPolicy);
  readonly addresses = new FailureThrottle(addressPolicy);
  readonly audit: FailureAudit;

  constructor(private readonly ctx: AppContext) {
    this.audit = new FailureAudit(ctx);
  }

  /** Throws 429 with Retry-After while the account or the address must still wait. */
  assertMayTry(attempt: Attempt): void {
    const nowMs = this.ctx.now().getTime();
    const waitMs = Math.max(this.accounts.waitMs(attempt.target, nowMs), this.addresses.waitMs(attempt.address, nowMs));
    if (waitMs > 0) {
      const seconds = Math.ceil(waitMs / 1000);
      throw rateLimited(`too many failed attempts; try again in ${seconds} s`, seconds);
    }
  }

  /** Counts a failure against both keys; `audit` is false for names that match nothing (they would only fill the log). */
  async recordFailure(attempt: Attempt, failure: Omit<FailureInput, 'target' | 'address'>, audit = true): Promise<void> {
    const nowMs = this.ctx.now().getTime();
    this.accounts.recordFailure(attempt.target, nowMs);
    this.addresses.recordFailure(attempt.address, nowMs);
    if (audit) await this.audit.record({ ...failure, ...attempt });
  }

  /** A success clears the account's count; the address keeps its own, so one good password does not reset spraying. */
  recordSuccess(attempt: Attempt): void {
    this.accounts.reset(attempt.target);
  }
}

// One guard per backend context rather than per module, so test backends in one process do not share counts.
const guards = new WeakMap<AppContext, CredentialGuard>();

/** The context's guard, created on first use. */
export function credentialGuardFor(ctx: AppContext): CredentialGuard {
  let guard = guards.get(ctx);
  if (!guard) guards.set(ctx, (guard = new CredentialGuard(ctx)));
  return guard;
}
