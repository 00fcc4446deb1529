/**
 * @module One typed client for the endpoint table: `createApiClient(options).call(api.actions.list, { query })`.
 * Inputs (path parameters, query, body) and the answer are typed by the endpoint's schemas; the URL is built from
 * its path, the body goes as JSON, and `{error:{code,message}}` answers become an ApiError. Needs only `fetch`.
 *
 * The protocol package compiles with the DOM library for these fetch types; Node 20 has the same globals.
 */
import type { z } from 'zod';
import { ErrorBody, type ErrorCode } from '../common';
import type { AnyEndpoint, Endpoint } from './endpoint';

/** Codes of failures the server did not describe: no answer, a canceled call, or an answer of the wrong shape. */
export type ClientErrorCode = 'network' | 'aborted' | 'unexpected' | 'bad_response';

/** An answer other than 2xx, or no usable answer (`status` 0: the server could not be reached). */
export class ApiError extends Error {
  readonly status: number;
  readonly code: ErrorCode | ClientErrorCode;
  readonly details: unknown;

  constructor(status: number, code: ApiError['code'], message: string, details?: unknown) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

type Schema = z.ZodType | undefined;
type QueryValue = string | number | boolean | null | undefined;
/** A query as sent: each field as the schema takes it, or as it parses to (`archived: true` for a stringbool). */
type QueryInput<Q extends z.ZodType> = { [K in keyof z.input<Q>]: z.input<Q>[K] | (K extends keyof z.output<Q> ? z.output<Q>[K] : never) };
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
type Empty = {};

type ParamsPart<P> = P extends z.ZodType ? { params: z.input<P> } : { params?: undefined };
type QueryPart<Q> = Q extends z.ZodType ? (Empty extends QueryInput<Q> ? { query?: QueryInput<Q> } : { query: QueryInput<Q> }) : { query?: undefined };
/** A raw body is sent as is with its content type (a YAML import); the server checks it against the schema. */
export interface RawBody {
  text: string;
  contentType: string;
}
type BodyPart<B> = B extends z.ZodType
  ? { body: z.input<B>; rawBody?: undefined } | { body?: undefined; rawBody: RawBody }
  : { body?: undefined; rawBody?: undefined };

/** Per-call extras: headers (If-Match, Idempotency-Key), a signal. */
export interface CallOptions {
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** Checks this answer against the response schema, whatever the client's `validate` says. */
  validate?: boolean;
}

/** What a call to endpoint E takes. */
export type CallInput<E> =
  E extends Endpoint<infer P, infer Q, infer B, Schema> ? ParamsPart<P> & QueryPart<Q> & BodyPart<B> & CallOptions : never;
/** What a call to endpoint E resolves with (nothing for a 204). */
export type CallOutput<E> = E extends Endpoint<Schema, Schema, Schema, infer R> ? (R extends z.ZodType ? z.output<R> : void) : never;
/** The body a call to endpoint E sends. */
export type CallBody<E> = E extends Endpoint<Schema, Schema, infer B, Schema> ? (B extends z.ZodType ? z.input<B> : undefined) : never;
/** The query a call to endpoint E sends. */
export type CallQuery<E> = E extends Endpoint<Schema, infer Q, Schema, Schema> ? (Q extends z.ZodType ? QueryInput<Q> : undefined) : never;
type CallArgs<E> = Empty extends CallInput<E> ? [input?: CallInput<E>] : [input: CallInput<E>];

export interface ApiClientOptions {
  /** Where the server is, without a trailing slash; '' for the page's own origin. */
  baseUrl: string;
  /** The global fetch unless set. */
  fetch?: typeof fetch;
  /** Headers for every call (e.g. a bearer token), read on each call. */
  headers?: () => Record<string, string>;
  credentials?: RequestCredentials;
  /** Checks each JSON answer against the endpoint's response schema and answers with what it parses to. */
  validate?: boolean;
  /** Gives up after this long, unless the call brings its own signal. */
  timeoutMs?: number;
  /** The message when the server cannot be reached. */
  networkMessage?: string;
  /** Sees every failure before it is thrown (e.g. to send the user to sign-in on a 401). */
  onError?: (error: ApiError, endpoint: AnyEndpoint) => void;
}

const encode = (value: string) => encodeURIComponent(value).replace(/%20/g, '+');

/** `/api/v1` + the path with its `:name` parameters filled in + the query, leaving out empty values. */
export function buildUrl(path: string, params?: Record<string, unknown>, query?: Record<string, QueryValue>): string {
  const filled = path.replace(/:([A-Za-z]+)/g, (_, name: string) => {
    const value = params?.[name];
    if (value === undefined || value === null || value === '') throw new Error(`${path} needs the path parameter ${name}`);
    return encodeURIComponent(String(value));
  });
  const search = Object.entries(query ?? {})
    .filter(([, value]) => value !== undefined && value !== null && value !== '')
    .map(([key, value]) => `${encode(key)}=${encode(String(value))}`)
    .join('&');
  return `/api/v1${filled}${search ? `?${search}` : ''}`;
}

/** Turns a non-2xx answer into an ApiError, using the body's `{error:{code,message}}` when it has one. */
export async function toApiError(res: Response): Promise<ApiError> {
  const text = await res.text().catch(() => '');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  const parsed = ErrorBody.safeParse(json);
  if (parsed.success) return new ApiError(res.status, parsed.data.error.code, parsed.data.error.message, parsed.data.error.details);
  // A proxy's error page: only the status says anything.
  if (res.status === 401) return new ApiError(401, 'unauthenticated', 'sign in again: the credentials were refused');
  // A proxy that sheds load answers 503 with Retry-After and a page of its own: say when to try again.
  const retryAfterSec = Number(res.headers.get('retry-after'));
  if (res.status === 503 && Number.isInteger(retryAfterSec) && retryAfterSec > 0)
    return new ApiError(503, 'overloaded', `the server is busy; try again in ${retryAfterSec} s`, { retryAfterSec });
  return new ApiError(res.status, 'unexpected', `the server answered ${res.status} ${res.statusText}`.trim());
}

export function createApiClient(options: ApiClientOptions) {
  const doFetch = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));
  const fail = (error: ApiError, endpoint: AnyEndpoint): ApiError => {
    options.onError?.(error, endpoint);
    return error;
  };

  /** Sends the request and answers with the raw response once it is 2xx (a stream, a file); throws ApiError otherwise. */
  async function send<E extends AnyEndpoint>(endpoint: E, ...[input]: CallArgs<E>): Promise<Response> {
    const call = (input ?? {}) as CallOptions & { params?: Record<string, unknown>; query?: Record<string, QueryValue>; body?: unknown; rawBody?: RawBody };
    const headers: Record<string, string> = {
      accept: endpoint.produces === 'text/event-stream' ? 'text/event-stream' : 'application/json',
      ...options.headers?.(),
      ...call.headers,
    };
    let body: string | undefined;
    if (call.rawBody) {
      headers['content-type'] = call.rawBody.contentType;
      body = call.rawBody.text;
    } else if (call.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(call.body);
    }
    const signal = call.signal ?? (options.timeoutMs ? AbortSignal.timeout(options.timeoutMs) : undefined);
    const url = options.baseUrl + buildUrl(endpoint.path, call.params, call.query);
    let res: Response;
    try {
      res = await doFetch(url, {
        method: endpoint.method.toUpperCase(),
        headers,
        ...(body !== undefined ? { body } : {}),
        ...(options.credentials ? { credentials: options.credentials } : {}),
        ...(signal ? { signal } : {}),
      });
    } catch (err) {
      if ((err as Error)?.name === 'AbortError' && call.signal?.aborted) throw fail(new ApiError(0, 'aborted', 'the request was canceled'), endpoint);
      const where = options.baseUrl ? ` at ${options.baseUrl}` : '';
      throw fail(new ApiError(0, 'network', options.networkMessage ?? `cannot reach the Fixpoint server${where}`), endpoint);
    }
    if (!res.ok) throw fail(await toApiError(res), endpoint);
    return res;
  }

  /** Calls the endpoint and answers with its parsed JSON (nothing for a 204). */
  async function call<E extends AnyEndpoint>(endpoint: E, ...args: CallArgs<E>): Promise<CallOutput<E>> {
    const res = await send(endpoint, ...args);
    const validate = (args[0] as CallOptions | undefined)?.validate ?? options.validate;
    if (res.status === 204) return undefined as CallOutput<E>;
    const text = await res.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw fail(new ApiError(res.status, 'bad_response', 'the server sent an answer that is not JSON'), endpoint);
    }
    if (!validate || !endpoint.response) return json as CallOutput<E>;
    const checked = (endpoint.response as z.ZodType).safeParse(json);
    if (!checked.success)
      throw fail(new ApiError(res.status, 'bad_response', `the server's answer to ${endpoint.method.toUpperCase()} ${endpoint.path} has an unexpected shape`), endpoint);
    return checked.data as CallOutput<E>;
  }

  /** The endpoint's full URL, for links the browser follows itself (downloads, EventSource). */
  const url = <E extends AnyEndpoint>(endpoint: E, ...[input]: CallArgs<E>): string => {
    const parts = (input ?? {}) as { params?: Record<string, unknown>; query?: Record<string, QueryValue> };
    return options.baseUrl + buildUrl(endpoint.path, parts.params, parts.query);
  };

  return { baseUrl: options.baseUrl, call, send, url };
}

export type ApiClient = ReturnType<typeof createApiClient>;
