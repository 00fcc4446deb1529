/**
 * @module A small fetch wrapper for /api/v1: JSON in and out, the session cookie, and typed errors read with the
 * protocol's ErrorBody schema. A 401 tells the session store, which sends the user to the sign-in page.
 */
import { ErrorBody, type ErrorCode } from '@fixpoint/protocol';
import type { z } from 'zod';

/** An answer other than 2xx, or no answer at all (`network`). `message` is the backend's, ready to show. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: ErrorCode | 'network' | 'unexpected';
  readonly details: unknown;

  constructor(status: number, code: ApiError['code'], message: string, details?: unknown) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

export interface RequestOptions {
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  /** Sent as is with this content type instead of JSON (action import of a YAML file). */
  rawBody?: { text: string; contentType: string };
  headers?: Record<string, string>;
  /** Checks the answer's shape; without it the answer is trusted to match the declared type. */
  schema?: z.ZodType;
}

let unauthenticatedHandler: (() => void) | undefined;

/** Called on every 401 except from sign-in itself, whose 401 means a wrong password. */
export function onUnauthenticated(handler: () => void): void {
  unauthenticatedHandler = handler;
}

export function buildUrl(path: string, query?: RequestOptions['query']): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) if (value !== undefined && value !== '') params.set(key, String(value));
  const search = params.toString();
  return `/api/v1${path}${search ? `?${search}` : ''}`;
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
  return new ApiError(res.status, 'unexpected', `the server answered ${res.status} ${res.statusText}`.trim());
}

/** Sends one request; resolves with the parsed JSON (or undefined for 204), rejects with ApiError. */
export async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
  let body: string | undefined;
  if (options.rawBody) {
    headers['content-type'] = options.rawBody.contentType;
    body = options.rawBody.text;
  } else if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  let res: Response;
  try {
    res = await fetch(buildUrl(path, options.query), { method, headers, body, credentials: 'same-origin' });
  } catch {
    throw new ApiError(0, 'network', 'the server cannot be reached; check your connection and try again');
  }
  if (!res.ok) {
    const error = await toApiError(res);
    if (res.status === 401 && path !== '/auth/login') unauthenticatedHandler?.();
    throw error;
  }
  if (res.status === 204) return undefined as T;
  const json: unknown = await res.json();
  if (!options.schema) return json as T;
  const checked = options.schema.safeParse(json);
  if (!checked.success) throw new ApiError(res.status, 'unexpected', `the server's answer to ${method} ${path} has an unexpected shape`);
  return checked.data as T;
}

export const api = {
  get: <T>(path: string, options?: RequestOptions) => request<T>('GET', path, options),
  post: <T>(path: string, body?: unknown, options?: RequestOptions) => request<T>('POST', path, { ...options, body: body ?? {} }),
  put: <T>(path: string, body: unknown, options?: RequestOptions) => request<T>('PUT', path, { ...options, body }),
  patch: <T>(path: string, body: unknown, options?: RequestOptions) => request<T>('PATCH', path, { ...options, body }),
  delete: (path: string, options?: RequestOptions) => request<void>('DELETE', path, options),
};

/** The message to show for any thrown value. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof Error) return error.message;
  return String(error);
}
