import { and, inArray } from 'drizzle-orm';
import type { ExecutionEvent, LiveEvent } from '@fixpoint/protocol';
import type { AppContext } from '../../context';
import { devices } from '../../db/schema';
import type { Principal } from '../identity/rights';
import { getDevice } from '../devices/read';
import { deviceScopeCondition, seesAllDevices } from '../devices/scope';
import { getExecutionRequest } from './read';

export interface WatchFilter {
  principal: Principal;
  requestId?: string | undefined;
  deviceId?: string | undefined;
}

// A watcher remembers which devices it may see; bounded so a long-lived stream over a huge fleet stays small.
const maxKnownDevices = 50_000;

/**
 * Subscribes to execution events the principal may see, narrowed to a request or a device. Events arrive in
 * publication order. For a scoped principal, unknown devices are checked against the scope in one query per burst
 * (a 10,000-device launch costs one look-up, not 10,000). Returns the unsubscribe function.
 */
function watchExecutionEvents(ctx: AppContext, filter: WatchFilter, deliver: (event: ExecutionEvent) => void): () => void {
  const unrestricted = seesAllDevices(filter.principal);
  const scope = deviceScopeCondition(filter.principal);
  const known = new Map<string, boolean>();
  let queue: ExecutionEvent[] = [];
  let flushing = false;
  let closed = false;

  const flush = async () => {
    while (queue.length && !closed) {
      const batch = queue;
      queue = [];
      const unknown = [...new Set(batch.map((e) => e.deviceId).filter((id) => !known.has(id)))];
      if (unknown.length) {
        if (known.size + unknown.length > maxKnownDevices) known.clear();
        try {
          const visible = await ctx.db.select({ id: devices.id }).from(devices).where(and(inArray(devices.id, unknown), scope));
          const seen = new Set(visible.map((d) => d.id));
          for (const id of unknown) known.set(id, seen.has(id));
        } catch (error) {
          // Dropping events is safe (clients re-read state); delivering unchecked ones would not be.
          ctx.log.warn('live status scope check failed', { error: String(error) });
          continue;
        }
      }
      for (const event of batch) if (!closed && known.get(event.deviceId)) deliver(event);
    }
    flushing = false;
  };

  const unsubscribe = ctx.events.subscribe((event) => {
    if (closed) return;
    if (filter.requestId && event.requestId !== filter.requestId) return;
    if (filter.deviceId && event.deviceId !== filter.deviceId) return;
    if (unrestricted) return deliver(event);
    queue.push(event);
    if (!flushing) {
      flushing = true;
      void flush();
    }
  });
  return () => {
    closed = true;
    unsubscribe();
  };
}

/**
 * Subscribes to the state changes of staged rollouts: of the watched request, or of every launch for a principal who
 * sees all devices (a device's stream gets none). Counts cover every device of the launch, so a scoped principal gets
 * them blanked (`waves: null`) and reads its own in `GET /requests/:id`.
 */
function watchRolloutEvents(ctx: AppContext, filter: WatchFilter, deliver: (event: LiveEvent) => void): () => void {
  const unrestricted = seesAllDevices(filter.principal);
  if (filter.deviceId || (!unrestricted && !filter.requestId)) return () => {};
  return ctx.events.subscribeRollout((event) => {
    if (filter.requestId && event.requestId !== filter.requestId) return;
    deliver(unrestricted ? event : { ...event, waves: null });
  });
}

/**
 * Checks a live-status filter before a stream opens (a device or request outside the caller's scope is not found,
 * as on the plain routes) and returns the subscribe function for the stream.
 */
export async function openExecutionWatch(
  ctx: AppContext,
  filter: WatchFilter,
): Promise<(deliver: (event: LiveEvent) => void) => () => void> {
  if (filter.deviceId) await getDevice(ctx, { principal: filter.principal, id: filter.deviceId });
  if (filter.requestId) await getExecutionRequest(ctx, { principal: filter.principal, id: filter.requestId });
  return (deliver) => {
    const stops = [watchExecutionEvents(ctx, filter, deliver), watchRolloutEvents(ctx, filter, deliver)];
    return () => stops.forEach((stop) => stop());
  };
}
