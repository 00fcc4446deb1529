/**
 * @module Live execution state in the browser: applying status events to a list, counting a launch's executions
 * per status as events arrive, filters, and an execution's timeline. Events only move forward through the state
 * machine, so a late or repeated event never undoes a newer status read from the API.
 */
import {
  executionStatuses, isTerminal, neutralOutcomes, type Execution, type ExecutionEvent, type ExecutionStatus, type ExecutionTrigger, type NeutralOutcome,
} from '@fixpoint/protocol';

const rank: Record<ExecutionStatus, number> = {
  held: 0, queued: 1, delivered: 2, running: 3, succeeded: 4, failed: 4, timed_out: 4, canceled: 4, expired: 4,
};

/** Whether `next` is news after `current`: it moves forward, and nothing moves a finished execution. */
export function isNewer(current: ExecutionStatus, next: ExecutionStatus): boolean {
  return rank[next] > rank[current];
}

/** The execution with an event applied: the new status and the timestamp that status stamps. */
export function withEvent(execution: Execution, event: Pick<ExecutionEvent, 'status' | 'at'>): Execution {
  if (!isNewer(execution.status, event.status)) return execution;
  const next = { ...execution, status: event.status };
  if (event.status === 'delivered' || event.status === 'running') next.deliveredAt ??= event.at;
  if (event.status === 'running') next.startedAt = event.at;
  if (isTerminal(event.status)) next.finishedAt = event.at;
  return next;
}

export interface ListUpdate {
  items: Execution[];
  /**
   * The list should be read again: the event is about an execution not shown yet (a new launch, or one that now
   * matches a status filter), or one that finished and now has outputs and tails to show.
   */
  refresh: boolean;
}

export function applyEventToList(items: readonly Execution[], event: ExecutionEvent): ListUpdate {
  const index = items.findIndex((e) => e.id === event.id);
  if (index < 0) return { items: [...items], refresh: true };
  const updated = withEvent(items[index]!, event);
  if (updated === items[index]) return { items: [...items], refresh: false };
  const next = [...items];
  next[index] = updated;
  return { items: next, refresh: isTerminal(event.status) };
}

export interface ExecutionListFilter {
  status?: ExecutionStatus | undefined;
  /** A neutral self-help outcome (`declined`, `postponed`, `timeout`, `no_user`). */
  outcome?: NeutralOutcome | undefined;
  action?: string | undefined;
  deviceId?: string | undefined;
  trigger?: ExecutionTrigger | undefined;
}

/** The filters as the URL carries them (unknown values are dropped rather than sent). */
export function filterFromSearch(search: URLSearchParams): ExecutionListFilter {
  const status = search.get('status') as ExecutionStatus | null;
  const outcome = search.get('outcome') as NeutralOutcome | null;
  const trigger = search.get('trigger') as ExecutionTrigger | null;
  const triggers: readonly string[] = ['manual', 'extension', 'api', 'schedule', 'detection', 'campaign'];
  return {
    status: status && (executionStatuses as readonly string[]).includes(status) ? status : undefined,
    outcome: outcome && (neutralOutcomes as readonly string[]).includes(outcome) ? outcome : undefined,
    action: search.get('action')?.trim() || undefined,
    deviceId: search.get('device')?.trim() || undefined,
    trigger: trigger && triggers.includes(trigger) ? trigger : undefined,
  };
}

/** Executions of one launch counted per status, updated event by event. */
export interface Progress {
  total: number;
  counts: Record<ExecutionStatus, number>;
  /** The status of each execution known so far. */
  statuses: Readonly<Record<string, ExecutionStatus>>;
}

export function emptyCounts(): Record<ExecutionStatus, number> {
  return Object.fromEntries(executionStatuses.map((s) => [s, 0])) as Record<ExecutionStatus, number>;
}

/** Starts from a launch's summary (`GET /requests/:id`) and the executions read with it. */
export function progressFrom(summary: { total: number; counts: Partial<Record<ExecutionStatus, number>> }, known: readonly Pick<Execution, 'id' | 'status'>[]): Progress {
  return {
    total: summary.total,
    counts: { ...emptyCounts(), ...summary.counts },
    statuses: Object.fromEntries(known.map((e) => [e.id, e.status])),
  };
}

/**
 * Moves one execution from its old status to the new one. An execution not seen before cannot be moved (its old
 * status is unknown): `unknown` asks the caller to read the summary again.
 */
export function applyProgressEvent(progress: Progress, event: Pick<ExecutionEvent, 'id' | 'status'>): { progress: Progress; unknown: boolean } {
  const before = progress.statuses[event.id];
  if (before === undefined) return { progress, unknown: true };
  if (!isNewer(before, event.status)) return { progress, unknown: false };
  const counts = { ...progress.counts, [before]: progress.counts[before] - 1, [event.status]: progress.counts[event.status] + 1 };
  return { progress: { ...progress, counts, statuses: { ...progress.statuses, [event.id]: event.status } }, unknown: false };
}

/** How many executions have finished (in any terminal state). */
export function finishedCount(progress: Pick<Progress, 'counts'>): number {
  return executionStatuses.filter(isTerminal).reduce((n, s) => n + progress.counts[s], 0);
}

export interface TimelineStep {
  label: string;
  at: string | null;
  /** Seconds since the step before, when both are known. */
  afterSec: number | null;
}

/** Queued, delivered, running and finished, with the time between steps; a step not reached has no time. */
export function timeline(e: Pick<Execution, 'createdAt' | 'deliveredAt' | 'startedAt' | 'finishedAt' | 'status'>): TimelineStep[] {
  const steps: [string, string | null][] = [
    ['Queued', e.createdAt],
    ['Delivered', e.deliveredAt],
    ['Running', e.startedAt],
    [isTerminal(e.status) ? `Finished (${e.status.replace('_', ' ')})` : 'Finished', e.finishedAt],
  ];
  let previous: string | null = null;
  return steps.map(([label, at]) => {
    const afterSec = at && previous ? Math.max(0, (Date.parse(at) - Date.parse(previous)) / 1000) : null;
    if (at) previous = at;
    return { label, at, afterSec };
  });
}

