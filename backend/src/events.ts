/**
 * @module In-process event buses.
 *
 * `EventBus` carries execution events (live status over SSE, webhooks, the agent channel's cancels). With several
 * instances on one PostgreSQL database, the cluster relay (`relayExecutionEvents`) forwards every local event to
 * the others and hands theirs to `deliverRemote`, so an SSE client on one instance sees what happened on another.
 *
 * `DeviceEventBus` says that a device's fields changed (agent facts, action outputs, tags). It stays in the process that
 * received the change, which is the one holding the device's channel, so each change is handled exactly once.
 */
import { EventEmitter } from 'node:events';
import { ExecutionEvent } from '@fixpoint/protocol';
import type { Cluster } from './cluster';

export interface SubscribeOptions {
  /** Only events published in this process: for work that each instance must do for its own events (webhooks). */
  localOnly?: boolean;
}

export interface EventBus {
  publish(event: ExecutionEvent): void;
  subscribe(listener: (event: ExecutionEvent) => void, options?: SubscribeOptions): () => void;
  /** Hands an event published by another instance to this process's subscribers (not the `localOnly` ones). */
  deliverRemote(event: ExecutionEvent): void;
}

export function createEventBus(): EventBus {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  return {
    publish(event) {
      emitter.emit('execution', event);
      emitter.emit('local', event);
    },
    deliverRemote: (event) => emitter.emit('execution', event),
    subscribe(listener, options = {}) {
      const name = options.localOnly ? 'local' : 'execution';
      emitter.on(name, listener);
      return () => emitter.off(name, listener);
    },
  };
}

/** Forwards local execution events to the other instances and delivers theirs here. Returns the function that stops it. */
export function relayExecutionEvents(bus: EventBus, cluster: Cluster): () => void {
  if (!cluster.shared) return () => {};
  const stopOut = bus.subscribe((event) => cluster.publish('events', [event]), { localOnly: true });
  const stopIn = cluster.subscribe('events', (items) => {
    for (const item of items) {
      const parsed = ExecutionEvent.safeParse(item);
      if (parsed.success) bus.deliverRemote(parsed.data);
    }
  });
  return () => {
    stopOut();
    stopIn();
  };
}

/** What changed on a device: its agent-reported facts, or an action output stored from a result. */
export interface DeviceEvent {
  deviceId: string;
  kind: 'facts' | 'outputs' | 'tags';
}

export interface DeviceEventBus {
  publish(event: DeviceEvent): void;
  subscribe(listener: (event: DeviceEvent) => void): () => void;
}

/**
 * A bus for device-field changes, published after the change is committed. The detection engine subscribes to
 * re-evaluate rules for that device.
 */
export function createDeviceEventBus(): DeviceEventBus {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  return {
    publish: (event) => emitter.emit('device', event),
    subscribe(listener) {
      emitter.on('device', listener);
      return () => emitter.off('device', listener);
    },
  };
}
