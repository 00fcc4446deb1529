/**
 * @module Lets verbs that enqueue deliveries wake the running dispatcher at once instead of at its next poll.
 * Keyed by context, so several backends in one process (tests) stay apart.
 */
import type { AppContext } from '../../context';

const listeners = new WeakMap<AppContext, Set<() => void>>();

/** Registers a wake-up; returns the function that removes it. */
export function onDeliveriesEnqueued(ctx: AppContext, wake: () => void): () => void {
  let set = listeners.get(ctx);
  if (!set) listeners.set(ctx, (set = new Set()));
  set.add(wake);
  return () => set.delete(wake);
}

export function notifyDeliveriesEnqueued(ctx: AppContext): void {
  for (const wake of listeners.get(ctx) ?? []) wake();
}
