/**
 * @module The safety net under push delivery. A launch reaches a device through one push: straight from the launch,
 * or a push round started by a dispatch notification or the agent's pull. If that one push is lost (its pending-work
 * query failed, say because PostgreSQL refused a new connection; a notification never arrived; the launching instance
 * could not send its NOTIFY), an agent that stays connected would never ask again. So, every `intervalMs`, the
 * devices connected here are checked for queued executions their connection was never sent, and those devices get a
 * push round. The check reads ids only; pushing stays idempotent (a connection is never sent the same execution twice).
 */
import type { AppContext } from '../context';
import { queuedBefore } from '../services/executions/pending';
import type { AgentConnection } from './connection';

export interface MissedWorkHost {
  readonly ctx: AppContext;
  /** The authenticated connections of this process, by device. */
  connections(): ReadonlyMap<string, AgentConnection>;
  /** Whether a push round already holds the device. */
  pushing(deviceId: string): boolean;
  /** Queues devices for a push round. */
  redeliver(deviceIds: readonly string[]): void;
}

/** Devices per look-up. */
const chunk = 5000;

/** Starts the periodic check; returns the function that stops it. */
export function startMissedWorkSweep(host: MissedWorkHost, intervalMs: number): () => void {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    void findMissedWork(host, intervalMs)
      .then((missed) => {
        if (!missed.length) return;
        host.ctx.log.warn('channel: queued work was never pushed to connected devices; pushing it now', { devices: missed.length });
        host.redeliver(missed);
      })
      .catch((error: unknown) => host.ctx.log.error('channel: looking for missed work failed', { error: String(error) }))
      .finally(() => (running = false));
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}

/**
 * Devices connected here (and past their pull) with a queued execution older than `graceMs` that their connection was
 * not sent and no push round holds: younger work may still be on its normal way.
 */
export async function findMissedWork(host: MissedWorkHost, graceMs: number): Promise<string[]> {
  const conns = host.connections();
  const ids = [...conns].filter(([, conn]) => conn.pulled).map(([id]) => id);
  const before = new Date(host.ctx.now().getTime() - graceMs);
  const missed = new Set<string>();
  for (let i = 0; i < ids.length; i += chunk) {
    for (const { deviceId, id } of await queuedBefore(host.ctx, ids.slice(i, i + chunk), before)) {
      const conn = conns.get(deviceId);
      if (conn?.pulled && !conn.sent.has(id) && !host.pushing(deviceId)) missed.add(deviceId);
    }
  }
  return [...missed];
}
