/** @module In-process event bus for live status (SSE). Multi-instance fan-out plugs in behind the same interface. */
import { EventEmitter } from 'node:events';
import type { ExecutionEvent } from '@fixpoint/protocol';

export interface EventBus {
  publish(event: ExecutionEvent): void;
  subscribe(listener: (event: ExecutionEvent) => void): () => void;
}

export function createEventBus(): EventBus {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  return {
    publish: (event) => emitter.emit('execution', event),
    subscribe(listener) {
      emitter.on('execution', listener);
      return () => emitter.off('execution', listener);
    },
  };
}
