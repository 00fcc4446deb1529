/**
 * @module Reaching PostgreSQL at start: a failed connection becomes one line that names the host, port and database
 * and the cause, and start-up retries with backoff for a while, so the backend may start before its database (a
 * compose file, systemd units started side by side).
 */

/** The database could not be reached in the time allowed; the message is the one line to show. */
export class DatabaseUnavailableError extends Error {
  override name = 'DatabaseUnavailableError';
}

interface Target {
  host: string;
  port: string;
  database: string;
  user: string;
}

function targetOf(url: string): Target {
  const u = new URL(url);
  const user = decodeURIComponent(u.username) || 'postgres';
  return {
    host: u.hostname.replace(/^\[|\]$/g, '') || 'localhost',
    port: u.port || '5432',
    database: decodeURIComponent(u.pathname.replace(/^\//, '')) || user,
    user,
  };
}

/** The error's code, looking through wrappers (drizzle's query error keeps the driver's as `cause`). */
function codeOf(error: unknown): string | undefined {
  for (let e = error, depth = 0; e && typeof e === 'object' && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return undefined;
}

const causes: Record<string, (t: Target) => string> = {
  ECONNREFUSED: () => 'connection refused (is PostgreSQL running and listening on that address?)',
  ENOTFOUND: () => 'host name not found',
  EAI_AGAIN: () => 'host name lookup failed for now (DNS)',
  ETIMEDOUT: () => 'the connection timed out',
  CONNECT_TIMEOUT: () => 'the connection timed out',
  EHOSTUNREACH: () => 'host unreachable',
  ENETUNREACH: () => 'network unreachable',
  ECONNRESET: () => 'the connection was reset',
  '3D000': (t) => `database "${t.database}" does not exist`,
  '28P01': (t) => `password authentication failed for user "${t.user}"`,
  '28000': (t) => `the server refuses user "${t.user}" (pg_hba.conf or role)`,
  '57P03': () => 'the database system is starting up',
};

/** Whether an error means the database could not be reached (as opposed to a statement that failed). */
export function isConnectionError(error: unknown): boolean {
  const code = codeOf(error);
  return code !== undefined && code in causes;
}

/**
 * One line naming where and why, never the password.
 * @example describeConnectionError('postgres://fp:secret@db:5432/fixpoint', err)
 * // → 'cannot connect to PostgreSQL at db:5432, database "fixpoint": connection refused (…)'
 */
export function describeConnectionError(url: string, error: unknown): string {
  const target = targetOf(url);
  const code = codeOf(error);
  const cause = code && causes[code] ? causes[code](target) : `${error instanceof Error ? error.message : String(error)}${code ? ` (${code})` : ''}`;
  return `cannot connect to PostgreSQL at ${target.host}:${target.port}, database "${target.database}": ${cause}`;
}

export interface WaitOptions {
  /** Seconds to keep trying; 0 tries once. */
  waitSec: number;
  /** Told about each failed attempt that will be retried. */
  onRetry?: (line: string, retryInMs: number) => void;
  sleep?: (ms: number) => Promise<void>;
}

/**
 * Runs `probe` until it succeeds, retrying connection errors with backoff (0.25 s doubling to 5 s) until `waitSec`
 * has passed; then throws a DatabaseUnavailableError with the last cause. Any other error is thrown as it is.
 */
export async function waitForDatabase(url: string, probe: () => Promise<unknown>, options: WaitOptions): Promise<void> {
  const sleep = options.sleep ?? ((ms: number) => new Promise((resolve) => setTimeout(resolve, ms)));
  const deadline = Date.now() + options.waitSec * 1000;
  for (let attempt = 0; ; attempt++) {
    try {
      await probe();
      return;
    } catch (error) {
      if (!isConnectionError(error)) throw error;
      const line = describeConnectionError(url, error);
      const left = deadline - Date.now();
      if (left <= 0)
        throw new DatabaseUnavailableError(
          options.waitSec > 0 ? `${line} (still after ${options.waitSec} s; FIXPOINT_DATABASE_WAIT_SEC sets how long to wait)` : line,
        );
      const delay = Math.min(250 * 2 ** attempt, 5000, left);
      options.onRetry?.(line, delay);
      await sleep(delay);
    }
  }
}
