/** @module Fakes for store and API tests: a scripted fetch and an EventSource the test drives by hand. */
import type { ExecutionEvent } from '@fixpoint/protocol';
import type { EventSourceFactory } from '../api/live';

type Handler = (req: { method: string; url: URL; body: unknown }) => unknown;

/** Answers fetch calls by `METHOD /path` with JSON (status 200), recording each call. */
export function fakeFetch(routes: Record<string, Handler>) {
  const calls: { method: string; url: URL; body: unknown }[] = [];
  const fetch = async (input: string, init: RequestInit = {}) => {
    const url = new URL(input, 'http://console.test');
    const method = init.method ?? 'GET';
    const body = init.body ? JSON.parse(String(init.body)) : undefined;
    calls.push({ method, url, body });
    const handler = routes[`${method} ${url.pathname}`];
    if (!handler) return new Response(JSON.stringify({ error: { code: 'not_found', message: `no ${method} ${url.pathname}` } }), { status: 404 });
    return new Response(JSON.stringify(handler({ method, url, body })), { status: 200, headers: { 'content-type': 'application/json' } });
  };
  return { fetch, calls };
}

/** An EventSource stand-in: `open()`, `emit(event)` and `drop()` play what the server would. */
export function fakeEventSource() {
  const sources: { url: string; listeners: Map<string, ((e: unknown) => void)[]>; closed: boolean }[] = [];
  const create: EventSourceFactory = (url) => {
    const source = { url, listeners: new Map<string, ((e: unknown) => void)[]>(), closed: false };
    sources.push(source);
    return {
      readyState: 0,
      addEventListener: (type: string, fn: (e: unknown) => void) => source.listeners.set(type, [...(source.listeners.get(type) ?? []), fn]),
      close: () => {
        source.closed = true;
      },
    } as unknown as ReturnType<EventSourceFactory>;
  };
  const fire = (type: string, event: unknown) => {
    for (const s of sources) if (!s.closed) for (const fn of s.listeners.get(type) ?? []) fn(event);
  };
  return {
    create,
    sources,
    open: () => fire('open', {}),
    drop: () => fire('error', {}),
    emit: (event: Partial<ExecutionEvent> & Pick<ExecutionEvent, 'id' | 'status'>) =>
      fire('execution', { data: JSON.stringify({ type: 'execution', requestId: uuid(9), deviceId: uuid(8), at: '2024-01-01T00:00:05Z', ...event }) }),
    sendRaw: (data: string) => fire('execution', { data }),
    emitRollout: (event: Record<string, unknown>) => fire('request.rollout', { data: JSON.stringify({ type: 'request.rollout', at: '2024-01-01T00:00:05Z', ...event }) }),
  };
}

/** A valid id (events are checked by the protocol's schema), e.g. uuid(1). */
export const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

/** Lets pending promise callbacks run. */
export const flush = () => new Promise((resolve) => setTimeout(resolve, 0));
