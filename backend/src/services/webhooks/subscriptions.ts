/**
 * @module Which events any enabled webhook subscribes to, cached in memory: a fleet-wide fan-out ends in thousands
 * of terminal events, and with no subscriber they must cost no database round-trip. Changes made through this
 * process invalidate the cache at once; changes made on another instance are seen within `subscriptionTtlMs`.
 */
import { eq } from 'drizzle-orm';
import type { AppContext } from '../../context';
import type { Db, Tx } from '../../db';
import { webhooks } from '../../db/schema';

export const subscriptionTtlMs = 2000;

const cache = new WeakMap<AppContext, { loadedAt: number; events: Promise<ReadonlySet<string>> }>();

/**
 * The union of the events of every enabled webhook. Inside a transaction pass it as `db`: a read on the pool would
 * wait for the transaction's own connection on PGlite.
 */
export function subscribedEvents(ctx: AppContext, db: Db | Tx = ctx.db): Promise<ReadonlySet<string>> {
  const hit = cache.get(ctx);
  // real time, not ctx.now(): freshness is about other instances' writes, which a test clock does not move
  if (hit && Date.now() - hit.loadedAt < subscriptionTtlMs) return hit.events;
  const events = db
    .select({ events: webhooks.events })
    .from(webhooks)
    .where(eq(webhooks.enabled, true))
    .then((rows) => new Set(rows.flatMap((r) => r.events)));
  const entry = { loadedAt: Date.now(), events };
  cache.set(ctx, entry);
  // a failed read is not cached; the next event tries again
  events.catch(() => cache.get(ctx) === entry && cache.delete(ctx));
  return events;
}

/** Call after a webhook is created, changed or deleted. */
export function invalidateSubscriptions(ctx: AppContext): void {
  cache.delete(ctx);
}
