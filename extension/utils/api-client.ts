/**
 * @module
 * The Fixpoint API as the extension's background and options page use it: the protocol's typed client with the
 * bearer token (or, before there is one, the browser's session cookie for the sign-in calls). Every answer is
 * checked against its endpoint's response schema. Content scripts never import this (it brings zod).
 */
import { ExecutionEvent } from '@fixpoint/protocol';
import { ApiError, api, createApiClient as createTypedClient, type CallBody } from '@fixpoint/protocol/api';
import { createSseParser } from './sse';

export { ApiError };

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
  const { token } = options;
  const client = createTypedClient({
    baseUrl: options.baseUrl,
    ...(options.fetch ? { fetch: options.fetch } : {}),
    headers: (): Record<string, string> => (token ? { authorization: `Bearer ${token}` } : {}),
    // The token is the credential; cookies only matter for the sign-in calls (no token yet).
    credentials: token ? 'omit' : 'include',
    validate: true,
    timeoutMs: options.timeoutMs ?? 20_000,
    networkMessage: `Cannot reach the Fixpoint server at ${options.baseUrl}`,
  });
  const { call } = client;

  return {
    baseUrl: options.baseUrl,
    /** Password sign-in; the backend answers with a session cookie that `createExtensionToken` then uses. */
    login: (email: string, password: string) => client.send(api.auth.login, { body: { email, password } }).then(() => undefined),
    /** Exchanges the browser's session for a personal access token for the extension. */
    createExtensionToken: () => call(api.auth.extensionToken, { body: {} }),
    me: () => call(api.auth.me),
    searchDevices: (search: string, limit = 20) => call(api.devices.list, { query: { search, limit } }).then((p) => p.items),
    listActions: () => call(api.actions.list, { query: { limit: 500 } }).then((p) => p.items),
    getAction: (slug: string) => call(api.actions.get, { params: { id: slug } }),
    launch: (request: CallBody<typeof api.executions.launch>) => call(api.executions.launch, { body: request }),
    getExecution: (id: string) => call(api.executions.get, { params: { id } }),
    /**
     * Follows the live status of one launch until `signal` aborts or the server closes the stream.
     * Malformed events are skipped.
     */
    async streamExecutions(requestId: string, onUpdate: (event: ExecutionEvent) => void, signal: AbortSignal): Promise<void> {
      const res = await client.send(api.executions.events, { query: { requestId }, signal });
      if (!res.body) return;
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
      const push = createSseParser((message) => {
        let data: unknown;
        try {
          data = JSON.parse(message.data);
        } catch {
          return;
        }
        const event = ExecutionEvent.safeParse(data);
        if (event.success) onUpdate(event.data);
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
