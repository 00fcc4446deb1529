/**
 * Admission control for API launches. A backend offered more than it can serve would otherwise accept every launch,
 * hold it (and the reports of the work already out) in memory, and answer everything late: RSS and open sockets grow
 * and callers time out anyway. Past a configured depth it refuses new launches at once with 503 `overloaded` and
 * Retry-After, so callers back off and the work already accepted gets done. Server-side launchers (schedules,
 * detection, self-service) are not refused: their firings are not retried by a caller.
 */
import type { AppContext } from '../../context';
import { overloaded } from '../../errors';
import { launchQueueDepth } from './launch-batcher';

/** What a refused caller is told to wait: about the time a backlog at its limit takes to drain. */
export const overloadRetryAfterSec = 5;

/** Throws 503 `overloaded` while the launch queue or the report ingest is past its limit (`config.admission`). */
export function admitLaunch(ctx: AppContext): void {
  const { launchQueue, ingestBacklog } = ctx.config.admission;
  const queued = launchQueue > 0 ? launchQueueDepth(ctx) : 0;
  if (launchQueue > 0 && queued >= launchQueue)
    throw overloaded(`the server is busy storing earlier launches (${queued} executions waiting); try again in ${overloadRetryAfterSec} s`, overloadRetryAfterSec);
  const reports = ingestBacklog > 0 ? (ctx.dispatcher.backlog?.() ?? 0) : 0;
  if (ingestBacklog > 0 && reports >= ingestBacklog)
    throw overloaded(`the server is busy storing results from devices (${reports} reports waiting); try again in ${overloadRetryAfterSec} s`, overloadRetryAfterSec);
}
