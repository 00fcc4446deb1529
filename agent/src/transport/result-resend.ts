/**
 * @module Results the server has still not acknowledged a whole interval after they were last offered. Results are
 * sent when a run ends and again after every reconnect; a server that could not store one (its database refused the
 * batch) answers an error and no ack, and an agent that stays connected would otherwise keep it until its next
 * reconnect while the execution shows running. Each tick re-sends the results that were already unacked at the
 * previous tick, so a result waits one to two intervals; the server acks a repeat without applying it twice.
 */
import type { AgentResult } from '@fixpoint/protocol';

export interface ResultResendOptions {
  intervalMs: number;
  /** The journal's unacked results. */
  unacked(): AgentResult[];
  /** Sends one result; false when the channel is not connected. */
  send(result: AgentResult): boolean;
}

/** Starts the periodic re-send; returns its timer. */
export function startResultResend(options: ResultResendOptions): NodeJS.Timeout {
  let previous = new Set<string>();
  const timer = setInterval(() => {
    const unacked = options.unacked();
    const current = new Set<string>();
    for (const result of unacked) {
      current.add(result.executionId);
      if (previous.has(result.executionId) && !options.send(result)) break;
    }
    previous = current;
  }, options.intervalMs);
  timer.unref();
  return timer;
}
