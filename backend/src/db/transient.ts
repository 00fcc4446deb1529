/**
 * @module Database failures worth one more try. A deadlock or serialization failure aborts the whole transaction, and a
 * connection refused or lost leaves nothing half-written, so repeating the same work a moment later is safe and usually
 * succeeds. Used where giving up costs more than a short wait: storing the batched reports of many agents.
 */

// deadlock, serialization failure, too many connections, server shutting down, connection failures (class 08)
const transientStates = new Set(['40P01', '40001', '53300', '57P01', '57P03']);
// postgres.js raises these for a connection that broke or could not be made
const transientDriverCodes = new Set(['CONNECTION_CLOSED', 'CONNECTION_ENDED', 'CONNECTION_DESTROYED', 'CONNECT_TIMEOUT', 'ECONNRESET', 'ECONNREFUSED']);

/** True for an error after which the same work may well succeed (as raised by either driver; drizzle wraps it in `cause`). */
export function isTransientDbError(error: unknown): boolean {
  const e = error as { code?: string; cause?: { code?: string } } | null;
  const code = e?.cause?.code ?? e?.code;
  if (code === undefined) return false;
  return transientStates.has(code) || code.startsWith('08') || transientDriverCodes.has(code);
}

export interface RetryOptions {
  /** Tries in all, the first included (default 3). */
  attempts?: number;
  /** Wait before the second try, doubled for each later one, with up to half of it again at random (default 50 ms). */
  delayMs?: number;
  /** Told of each failure that will be tried again. */
  onRetry?: (error: unknown, attempt: number) => void;
}

/** Runs `work`, again after a short wait while it fails with a transient database error; other errors go straight out. */
export async function retryTransient<T>(work: () => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const attempts = options.attempts ?? 3;
  let delay = options.delayMs ?? 50;
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (attempt >= attempts || !isTransientDbError(error)) throw error;
      options.onRetry?.(error, attempt);
      await new Promise((resolve) => setTimeout(resolve, delay * (1 + Math.random() / 2)));
      delay *= 2;
    }
  }
}
