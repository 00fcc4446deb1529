/**
 * @module Waiting for one execution to end, for `POST /executions?wait=N`: a ticketing integration that launches on one
 * device gets the outputs in the same call when the run ends within N seconds.
 */
import { isTerminal, type Execution } from '@fixpoint/protocol';
import type { AppContext } from '../../context';
import type { Principal } from '../identity/rights';
import { getExecution } from './read';

/** The execution once it has ended, or null when it is still running after `timeoutMs`. */
export async function waitForExecution(ctx: AppContext, input: { principal: Principal; id: string; timeoutMs: number }): Promise<Execution | null> {
  let wake!: () => void;
  const ended = new Promise<void>((resolve) => (wake = resolve));
  // subscribed before the first read, so an end between the two is not missed (events from any instance arrive here)
  const unsubscribe = ctx.events.subscribe((event) => {
    if (event.id === input.id && isTerminal(event.status)) wake();
  });
  const timer = setTimeout(wake, input.timeoutMs);
  try {
    const now = await getExecution(ctx, input);
    if (isTerminal(now.status)) return now;
    await ended;
    const last = await getExecution(ctx, input);
    return isTerminal(last.status) ? last : null;
  } finally {
    clearTimeout(timer);
    unsubscribe();
  }
}
