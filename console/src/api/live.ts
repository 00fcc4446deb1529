/**
 * @module Live execution status, and staged rollouts' state, over Server-Sent Events (`GET /executions/events`). The session cookie goes with
 * EventSource on the same origin, so the browser's own client is enough.
 */
import { ExecutionEvent, RolloutEvent } from '@fixpoint/protocol';
import { api } from '@fixpoint/protocol/api';
import { client } from './client';

export interface LiveHandlers {
  onEvent(event: ExecutionEvent): void;
  /** A staged rollout paused, released a wave, completed, resumed or was canceled (SSE event `request.rollout`). */
  onRollout?(event: RolloutEvent): void;
  /** The stream is open (again): anything missed while it was down must be read again. */
  onOpen?(): void;
  /** The stream dropped; the browser retries on its own, and `onOpen` follows when it is back. */
  onDrop?(): void;
}

/** What `openLiveStatus` needs from the browser; tests pass a fake. */
export type EventSourceFactory = (url: string) => Pick<EventSource, 'addEventListener' | 'close' | 'readyState'>;

/**
 * Follows execution events for a request, a device, or (without either) everything the caller may see.
 * Malformed events are skipped. Returns the function that closes the stream.
 */
export function openLiveStatus(
  filter: { requestId?: string | undefined; deviceId?: string | undefined },
  handlers: LiveHandlers,
  create: EventSourceFactory = (url) => new EventSource(url),
): () => void {
  const source = create(client.url(api.executions.events, { query: { requestId: filter.requestId, deviceId: filter.deviceId } }));
  source.addEventListener('open', () => handlers.onOpen?.());
  source.addEventListener('error', () => handlers.onDrop?.());
  source.addEventListener('execution', (message) => {
    const parsed = ExecutionEvent.safeParse(parseData(message));
    if (parsed.success) handlers.onEvent(parsed.data);
  });
  source.addEventListener('request.rollout', (message) => {
    const parsed = RolloutEvent.safeParse(parseData(message));
    if (parsed.success) handlers.onRollout?.(parsed.data);
  });
  return () => source.close();
}

function parseData(message: Event): unknown {
  try {
    return JSON.parse((message as MessageEvent<string>).data);
  } catch {
    return undefined;
  }
}
