import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ErrorCode } from '@fixpoint/protocol';

/** A failure the caller can act on. Routes turn it into `{error:{code,message,details}}` with its status. */
export class AppError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
    /** Response headers that go with the error, e.g. Retry-After. */
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const badRequest = (message: string, details?: unknown) => new AppError(400, 'bad_request', message, details);
export const invalid = (message: string, details?: unknown) => new AppError(400, 'validation_failed', message, details);
export const unauthenticated = (message = 'sign in first') => new AppError(401, 'unauthenticated', message);
export const forbidden = (message: string) => new AppError(403, 'forbidden', message);
export const notFound = (what: string) => new AppError(404, 'not_found', `${what} not found`);
export const conflict = (message: string, details?: unknown) => new AppError(409, 'conflict', message, details);
/** 429 with Retry-After; the wait is also in `details.retryAfterSec` for clients that cannot read headers. */
export const rateLimited = (message: string, retryAfterSec: number) =>
  new AppError(429, 'rate_limited', message, { retryAfterSec }, { 'retry-after': String(retryAfterSec) });
/** 503 with Retry-After: the server is behind and sheds new work instead of queueing it without bound. */
export const overloaded = (message: string, retryAfterSec: number) =>
  new AppError(503, 'overloaded', message, { retryAfterSec }, { 'retry-after': String(retryAfterSec) });
export const limitExceeded = (message: string) => new AppError(400, 'limit_exceeded', message);

// PostgreSQL errors caused by the values sent, not by the server: bad encoding or NUL (22021, 22P05), jsonb nesting
// past its limit (54001), a malformed value (22P02) or a number out of range (22003).
const inputErrorCodes = new Set(['22021', '22P05', '54001', '22P02', '22003']);

/** True for a database error caused by the input values (as raised through either driver; drizzle wraps it in `cause`). */
export function isInputError(error: unknown): boolean {
  const e = error as { code?: string; cause?: { code?: string } } | null;
  const code = e?.cause?.code ?? e?.code;
  return code !== undefined && inputErrorCodes.has(code);
}
