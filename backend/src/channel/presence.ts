/**
 * @module Presence bookkeeping for the channel: connects, disconnects and `last_seen` refreshes are gathered in
 * memory and written once per tick for every device that changed, so 20,000 agents reconnecting cost a few
 * statements, not 20,000. The instance heartbeat and the sweep of dead instances ride on the same timer.
 */
import type { AppContext } from '../context';
import {
  heartbeatInstance, recordPresence, resetPresence, retireInstance, sweepDeadInstances, type PresenceChanges,
} from '../services/devices';

export interface PresenceOptions {
  instanceId: string;
  /** Other instances may share the database (PostgreSQL): presence is then kept per instance. */
  shared: boolean;
  /** How often changes are written (default 1 s). */
  flushMs?: number;
  /** How often this instance says it is alive (default 10 s). */
  heartbeatMs?: number;
  /** An instance silent this long is dead and loses its devices (default 45 s). */
  deadAfterMs?: number;
}

export interface PresenceTracker {
  up(deviceId: string, agentVersion: string): void;
  down(deviceId: string): void;
  seen(deviceId: string): void;
  /** Writes what is pending now (tests; shutdown). */
  flush(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts presence for this instance: on a private database (PGlite) every device starts offline; on a shared one
 * only the devices of dead instances do. Registers the heartbeat before any agent can connect.
 */
export async function startPresence(ctx: AppContext, options: PresenceOptions): Promise<PresenceTracker> {
  const { instanceId, shared } = options;
  const flushMs = options.flushMs ?? 1000;
  const heartbeatMs = options.heartbeatMs ?? 10_000;
  const deadAfterMs = options.deadAfterMs ?? 45_000;
  const startedAt = ctx.now();
  if (shared) await sweepDeadInstances(ctx, new Date(startedAt.getTime() - deadAfterMs));
  else await resetPresence(ctx);
  await heartbeatInstance(ctx, instanceId, startedAt);

  // The latest state per device wins: a connect and a disconnect in the same tick write only the last.
  let changes = new Map<string, { up: true; agentVersion: string } | { up: false }>();
  let seen = new Set<string>();
  let lastHeartbeat = Date.now();
  let lastSweep = Date.now();
  let writing: Promise<void> = Promise.resolve();
  let stopped = false;

  const write = async () => {
    const batch: PresenceChanges = { up: [], down: [], seen: [] };
    for (const [deviceId, change] of changes) {
      if (change.up) batch.up.push({ deviceId, agentVersion: change.agentVersion });
      else batch.down.push(deviceId);
    }
    for (const deviceId of seen) if (!changes.has(deviceId)) batch.seen.push(deviceId);
    changes = new Map();
    seen = new Set();
    if (batch.up.length || batch.down.length || batch.seen.length) await recordPresence(ctx, instanceId, batch);
    const now = Date.now();
    if (now - lastHeartbeat >= heartbeatMs) {
      lastHeartbeat = now;
      await heartbeatInstance(ctx, instanceId, startedAt);
    }
    if (shared && now - lastSweep >= deadAfterMs / 2) {
      lastSweep = now;
      const offline = await sweepDeadInstances(ctx, new Date(ctx.now().getTime() - deadAfterMs));
      if (offline.length) ctx.log.info('presence: devices of a dead instance went offline', { devices: offline.length });
    }
  };

  // One write at a time, in order; a failed write is logged and its changes are lost only until the next connect.
  const flush = () => {
    writing = writing.then(write).catch((error: unknown) => ctx.log.error('presence: write failed', { error: String(error) }));
    return writing;
  };
  const timer = setInterval(() => void flush(), flushMs);
  timer.unref();

  return {
    up(deviceId, agentVersion) {
      if (!stopped) changes.set(deviceId, { up: true, agentVersion });
    },
    down(deviceId) {
      if (!stopped) changes.set(deviceId, { up: false });
    },
    seen(deviceId) {
      if (!stopped) seen.add(deviceId);
    },
    flush,
    async stop() {
      clearInterval(timer);
      await flush();
      stopped = true;
      await retireInstance(ctx, instanceId).catch((error: unknown) => ctx.log.error('presence: retire failed', { error: String(error) }));
    },
  };
}
