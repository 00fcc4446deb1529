/**
 * @module Live execution status over Server-Sent Events (`GET /executions/events`). The session cookie goes with
 * EventSource on the same origin, so the browser's own client is enough.
 */
import { ExecutionEvent } from '@fixpoint/protocol';
import { api } from '@fixpoint/protocol/api';
import { client } from './client';

export interface LiveHandlers {
  onEvent(event: ExecutionEvent): void;
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
    let data: unknown;
    try {
      data = JSON.parse((message as MessageEvent<string>).data);
    } catch {
      return;
    }
    const parsed = ExecutionEvent.safeParse(data);
    if (parsed.success) handlers.onEvent(parsed.data);
  });
  return () => source.close();
}
