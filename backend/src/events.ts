/**
 * @module In-process event buses.
 *
 * `EventBus` carries execution events (live status over SSE, webhooks, the agent channel's cancels) and staged
 * rollouts' state changes (live status). With several instances on one PostgreSQL database, the cluster relay
 * (`relayExecutionEvents`) forwards every local event to the others and hands theirs to `deliverRemote`, so an SSE
 * client on one instance sees what happened on another.
 *
 * `DeviceEventBus` says that a device's fields changed (agent facts, action outputs, tags). It stays in the process that
 * received the change, which is the one holding the device's channel, so each change is handled exactly once.
 */
import { EventEmitter } from 'node:events';
import { LiveEvent, type ExecutionEvent, type RolloutEvent } from '@fixpoint/protocol';
import type { Cluster } from './cluster';

export interface SubscribeOptions {
  /** Only events published in this process: for work that each instance must do for its own events (webhooks). */
  localOnly?: boolean;
}

export interface EventBus {
  publish(event: ExecutionEvent): void;
  subscribe(listener: (event: ExecutionEvent) => void, options?: SubscribeOptions): () => void;
  /** A staged rollout paused, released a wave, completed, resumed or was canceled (published after the commit). */
  publishRollout(event: RolloutEvent): void;
  subscribeRollout(listener: (event: RolloutEvent) => void, options?: SubscribeOptions): () => void;
  /** Hands an event published by another instance to this process's subscribers (not the `localOnly` ones). */
  deliverRemote(event: LiveEvent): void;
}

export function createEventBus(): EventBus {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  const on = <T>(name: string, listener: (event: T) => void) => {
    emitter.on(name, listener);
    return () => void emitter.off(name, listener);
  };
  return {
    publish(event) {
      emitter.emit('execution', event);
      emitter.emit('local', event);
    },
    publishRollout(event) {
      emitter.emit('rollout', event);
      emitter.emit('local-rollout', event);
    },
    deliverRemote: (event) => emitter.emit(event.type === 'execution' ? 'execution' : 'rollout', event),
    subscribe: (listener, options = {}) => on(options.localOnly ? 'local' : 'execution', listener),
    subscribeRollout: (listener, options = {}) => on(options.localOnly ? 'local-rollout' : 'rollout', listener),
  };
}

/** Forwards local execution events to the other instances and delivers theirs here. Returns the function that stops it. */
export function relayExecutionEvents(bus: EventBus, cluster: Cluster): () => void {
  if (!cluster.shared) return () => {};
  const stopOut = bus.subscribe((event) => cluster.publish('events', [event]), { localOnly: true });
  const stopRollouts = bus.subscribeRollout((event) => cluster.publish('events', [event]), { localOnly: true });
  const stopIn = cluster.subscribe('events', (items) => {
    for (const item of items) {
      const parsed = LiveEvent.safeParse(item);
      if (parsed.success) bus.deliverRemote(parsed.data);
    }
  });
  return () => {
    stopOut();
    stopRollouts();
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
