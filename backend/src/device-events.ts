/** @module In-process bus for "a device's fields changed" (agent facts or action outputs), read by detection rules. */
import { EventEmitter } from 'node:events';

export interface DeviceChange {
  deviceId: string;
  kind: 'facts' | 'outputs';
}

export interface DeviceEventBus {
  publish(change: DeviceChange): void;
  subscribe(listener: (change: DeviceChange) => void): () => void;
}

export function createDeviceEventBus(): DeviceEventBus {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  return {
    publish: (change) => emitter.emit('device', change),
    subscribe(listener) {
      emitter.on('device', listener);
      return () => emitter.off('device', listener);
    },
  };
}
