/**
 * @module
 * The Fixpoint API as the extension uses it: bearer-token calls for the background, and the cookie-based sign-in
 * calls for the options page. Every response is validated against the protocol schemas.
 */
import {
  Action, ActionWithVersion, Device, ErrorBody, Execution, ExecutionStatus, Id, LaunchResponse, Me, Timestamp, page,
} from '@fixpoint/protocol';
import type { LaunchRequest } from '@fixpoint/protocol';
import { z } from 'zod';
import { createSseParser } from './sse';

/** An API failure: `status` 0 means the server could not be reached. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export const ExtensionToken = z.object({ token: z.string().min(8).max(500), expiresAt: Timestamp.nullable().optional() });
export type ExtensionToken = z.infer<typeof ExtensionToken>;
const DevicePage = page(Device);
const ActionList = z.union([page(Action), z.array(Action)]).transform((r) => (Array.isArray(r) ? r : r.items));
/** One live status change; the backend may add fields, only these are relied on. */
export const ExecutionUpdate = z.object({ type: z.literal('execution'), id: Id, status: ExecutionStatus });
export type ExecutionUpdate = z.infer<typeof ExecutionUpdate>;

export interface ApiClientOptions {
  /** Base URL of the backend, without a trailing slash. */
  baseUrl: string;
  /** Personal access token; without it, calls rely on the browser's session cookie for the backend. */
  token?: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

export type ApiClient = ReturnType<typeof createApiClient>;

/** Creates a client for one backend and one token. */
export function createApiClient(options: ApiClientOptions) {
  const doFetch = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));
  const timeoutMs = options.timeoutMs ?? 20_000;

  async function send(method: string, path: string, body?: unknown, signal?: AbortSignal, accept = 'application/json'): Promise<Response> {
    const headers: Record<string, string> = { accept };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    let res: Response;
    try {
      res = await doFetch(`${options.baseUrl}/api/v1${path}`, {
        method,
        headers,
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        // The token is the credential; cookies only matter for the sign-in calls (no token yet).
        credentials: options.token ? 'omit' : 'include',
        signal: signal ?? AbortSignal.timeout(timeoutMs),
      });
    } catch (err) {
      if ((err as Error)?.name === 'AbortError') throw new ApiError(0, 'aborted', 'The request was canceled');
      throw new ApiError(0, 'network', `Cannot reach the Fixpoint server at ${options.baseUrl}`);
    }
    if (!res.ok) throw await errorFrom(res);
    return res;
  }

  async function call<T extends z.ZodType>(schema: T, method: string, path: string, body?: unknown): Promise<z.infer<T>> {
    const res = await send(method, path, body);
    let json: unknown;
    try {
      json = await res.json();
    } catch {
      throw new ApiError(res.status, 'bad_response', 'The server sent a response that is not JSON');
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) throw new ApiError(res.status, 'bad_response', 'The server sent an unexpected response');
    return parsed.data;
  }

  return {
    baseUrl: options.baseUrl,
    /** Password sign-in; the backend answers with a session cookie that `createExtensionToken` then uses. */
    login: (email: string, password: string) => send('POST', '/auth/login', { email, password }).then(() => undefined),
    /** Exchanges the browser's session for a personal access token for the extension. */
    createExtensionToken: () => call(ExtensionToken, 'POST', '/auth/extension-token', {}),
    me: () => call(Me, 'GET', '/auth/me'),
    searchDevices: (search: string, limit = 20) =>
      call(DevicePage, 'GET', `/devices?${new URLSearchParams({ search, limit: String(limit) })}`).then((p) => p.items),
    listActions: () => call(ActionList, 'GET', '/actions'),
    getAction: (slug: string) => call(ActionWithVersion, 'GET', `/actions/${encodeURIComponent(slug)}`),
    launch: (request: z.input<typeof LaunchRequest>) => call(LaunchResponse, 'POST', '/executions', request),
    getExecution: (id: string) => call(Execution, 'GET', `/executions/${encodeURIComponent(id)}`),
    /**
     * Follows the live status of one launch until `signal` aborts or the server closes the stream.
     * Malformed events are skipped.
     */
    async streamExecutions(requestId: string, onUpdate: (update: ExecutionUpdate) => void, signal: AbortSignal): Promise<void> {
      const res = await send('GET', `/executions/events?${new URLSearchParams({ requestId })}`, undefined, signal, 'text/event-stream');
      if (!res.body) return;
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
      const push = createSseParser((message) => {
        let data: unknown;
        try {
          data = JSON.parse(message.data);
        } catch {
          return;
        }
        const update = ExecutionUpdate.safeParse(data);
        if (update.success) onUpdate(update.data);
      });
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) return;
          push(value);
        }
      } catch (err) {
        if (signal.aborted) return;
        throw new ApiError(0, 'network', `The live status stream broke: ${(err as Error).message}`);
      } finally {
        reader.releaseLock();
      }
    },
  };
}

async function errorFrom(res: Response): Promise<ApiError> {
  try {
    const parsed = ErrorBody.safeParse(await res.json());
    if (parsed.success) return new ApiError(res.status, parsed.data.error.code, parsed.data.error.message);
  } catch {
    // Not JSON (a proxy's error page): fall through to a generic message.
  }
  const message = res.status === 401 ? 'Sign in again: the token was refused' : `The server answered ${res.status}`;
  return new ApiError(res.status, res.status === 401 ? 'unauthenticated' : 'http_error', message);
}
