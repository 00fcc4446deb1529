/**
 * @module Signal stores for live execution data: a list (filtered, paged) kept current by status events, and the
 * progress of one launch counted per status. Each screen creates its own and disposes it when it goes away.
 */
import { batch, signal } from '@preact/signals';
import { isTerminal, type ExecutionEvent, type RolloutEvent } from '@fixpoint/protocol';
import { openLiveStatus, type EventSourceFactory } from '../api/live';
import { executionsApi, type Execution, type ExecutionFilter, type ExecutionRequestSummary } from '../api/operate';
import type { Page } from '@fixpoint/protocol';
import { applyEventToList, applyProgressEvent, progressFrom, withEvent, type Progress } from '../lib/executions';

/** `live`: events arrive; `connecting`: (re)opening the stream; `off`: the list is read once. */
export type LiveState = 'connecting' | 'live' | 'off';

export interface LiveListOptions {
  filter: ExecutionFilter;
  limit?: number;
  offset?: number;
  /** Reads again at most this often while events keep asking for it, in ms. */
  refreshMs?: number;
  eventSource?: EventSourceFactory;
}

export function createLiveExecutions({ filter, limit = 50, offset = 0, refreshMs = 700, eventSource }: LiveListOptions) {
  const page = signal<Page<Execution> | null>(null);
  const error = signal<unknown>(null);
  const live = signal<LiveState>('connecting');
  let timer: ReturnType<typeof setTimeout> | undefined;
  let disposed = false;
  let ticket = 0;

  async function load() {
    const mine = ++ticket;
    try {
      const next = await executionsApi.list({ ...filter, limit, offset });
      if (mine !== ticket || disposed) return;
      batch(() => {
        page.value = next;
        error.value = null;
      });
    } catch (e) {
      if (mine === ticket && !disposed) error.value = e;
    }
  }

  function scheduleRefresh() {
    if (timer || disposed) return;
    timer = setTimeout(() => {
      timer = undefined;
      void load();
    }, refreshMs);
  }

  function handle(event: ExecutionEvent) {
    const current = page.value;
    if (!current) return scheduleRefresh();
    const update = applyEventToList(current.items, event);
    page.value = { ...current, items: update.items };
    // Only the newest page changes shape when executions start; older pages just follow status changes.
    if (update.refresh && (offset === 0 || update.items.some((e) => e.id === event.id))) scheduleRefresh();
  }

  void load();
  const close = openLiveStatus(
    { requestId: filter.requestId, deviceId: filter.deviceId },
    {
      onEvent: handle,
      onOpen: () => {
        live.value = 'live';
        // Whatever happened before the stream was (re)connected is read again.
        void load();
      },
      onDrop: () => (live.value = 'connecting'),
    },
    eventSource,
  );

  return {
    page,
    error,
    live,
    reload: load,
    dispose() {
      disposed = true;
      clearTimeout(timer);
      close();
    },
  };
}

/**
 * When to read a launch again because its rollout is due to step: the current wave of a running rollout has nothing
 * left to run, so the server is about to pause, release the next wave (at `nextWaveAt` when it waits) or complete.
 * Null when no step is due.
 */
export function rolloutRecheckMs(s: ExecutionRequestSummary, now: number, refreshMs: number): number | null {
  const rollout = s.rollout;
  const wave = rollout?.state === 'running' ? rollout.waves[rollout.currentWave - 1] : undefined;
  if (!rollout || !wave) return null;
  const c = wave.counts;
  if (c.held + c.queued + c.delivered + c.running > 0) return null;
  return rollout.nextWaveAt ? Math.max(refreshMs, Date.parse(rollout.nextWaveAt) - now) : refreshMs;
}

/** Follows one launch: its summary, the first executions, and counts per status that move with every event. */
export function createLaunchProgress(requestId: string, options: { eventSource?: EventSourceFactory; refreshMs?: number } = {}) {
  const summary = signal<ExecutionRequestSummary | null>(null);
  const progress = signal<Progress | null>(null);
  /** The first executions of the launch (up to 500), with statuses kept current. */
  const executions = signal<Execution[]>([]);
  const error = signal<unknown>(null);
  const live = signal<LiveState>('connecting');
  let pending: ExecutionEvent[] | null = null;
  let pendingRollout: RolloutEvent | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let disposed = false;
  let ticket = 0;

  const apply = (event: ExecutionEvent) => {
    if (!progress.value) return;
    const next = applyProgressEvent(progress.value, event);
    progress.value = next.progress;
    executions.value = executions.value.map((e) => (e.id === event.id ? withEvent(e, event) : e));
    // Unknown executions cannot be counted, and finished ones have exit codes to show: read again, at most once a second.
    // A running rollout's waves move with any status (a release turns held executions into queued ones).
    if (next.unknown || isTerminal(event.status) || summary.value?.rollout?.state === 'running') scheduleReload();
  };

  // The server's own word on the rollout (pause, release, completion …) shows at once; counts for a caller who sees
  // only part of the fleet come blank in the event and stay as last read.
  const applyRollout = (event: RolloutEvent) => {
    const current = summary.value;
    if (!current?.rollout || event.requestId !== requestId) return;
    const { type: _type, requestId: _id, at: _at, waves, ...state } = event;
    summary.value = { ...current, rollout: { ...state, waves: waves ?? current.rollout.waves } };
  };

  async function load() {
    const mine = ++ticket;
    // Events that arrive while reading are held, then applied on top: they only ever move statuses forward.
    pending ??= [];
    try {
      const [s, first] = await Promise.all([executionsApi.request(requestId), executionsApi.list({ requestId, limit: 500 })]);
      if (disposed || mine !== ticket) return;
      const held = pending ?? [];
      pending = null;
      batch(() => {
        summary.value = s;
        progress.value = progressFrom(s, first.items);
        executions.value = first.items;
        error.value = null;
        for (const event of held) apply(event);
        const rollout = pendingRollout;
        pendingRollout = null;
        if (rollout) applyRollout(rollout);
      });
      // The server announces its next step (pause, release, completion) with a `request.rollout` event; this re-read,
      // once the current wave has ended, covers an event lost while the stream was down.
      const recheck = rolloutRecheckMs(s, Date.now(), options.refreshMs ?? 1000);
      if (recheck !== null) scheduleReload(recheck);
    } catch (e) {
      if (disposed || mine !== ticket) return;
      pending = null;
      pendingRollout = null;
      error.value = e;
    }
  }

  function scheduleReload(afterMs = options.refreshMs ?? 1000) {
    if (timer || disposed) return;
    timer = setTimeout(() => {
      timer = undefined;
      void load();
    }, afterMs);
  }

  void load();
  const close = openLiveStatus(
    { requestId },
    {
      onEvent: (event) => (pending ? pending.push(event) : apply(event)),
      onRollout: (event) => (pending ? (pendingRollout = event) : applyRollout(event)),
      onOpen: () => {
        live.value = 'live';
        // Covers what happened before the stream was (re)connected.
        void load();
      },
      onDrop: () => (live.value = 'connecting'),
    },
    options.eventSource,
  );

  return {
    summary,
    progress,
    executions,
    error,
    live,
    /** Reads the launch again (after a resume, pause or cancel). */
    reload: load,
    dispose() {
      disposed = true;
      clearTimeout(timer);
      close();
    },
  };
}
