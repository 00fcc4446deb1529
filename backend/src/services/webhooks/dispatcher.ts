/**
 * @module Turns terminal execution events into webhook deliveries and sends them. One per backend process;
 * on PostgreSQL several instances can run it side by side (claims never overlap, enqueues are deduplicated).
 */
import { isTerminal, type ExecutionEvent } from '@fixpoint/protocol';
import type { AppContext } from '../../context';
import { backoffDelayMs, defaultBackoffScheduleMs, defaultMaxAttempts } from './backoff';
import { deliverDueBatch, type DeliverOptions } from './deliver';
import { enqueueExecutionEvents } from './enqueue-execution';
import { onDeliveriesEnqueued } from './wakeups';

export interface WebhookDispatcherOptions {
  /** How often to look for due deliveries (retries, other instances' enqueues); default 1000 ms. */
  pollMs?: number;
  /** Deliveries claimed and sent concurrently per round; default 20. */
  batchSize?: number;
  /** Per-request timeout; default 10 s. */
  timeoutMs?: number;
  /** How long a claim holds before another worker may retry the delivery; default 60 s. */
  leaseMs?: number;
  /** Attempts before a delivery becomes `failed`; default 8. */
  maxAttempts?: number;
  /** Wait after the n-th failed attempt, in ms; default: 10 s, 30 s, 2 min, 10 min, 1 h, 6 h, 12 h with ±20 % jitter. */
  backoff?: (attempt: number) => number;
  /** Set false to send only through `tick()` (tests that step time by hand); default true. */
  background?: boolean;
}

export interface WebhookDispatcher {
  /** Runs one claim-and-send round now; resolves to the number of deliveries attempted. */
  tick(): Promise<number>;
  /** Looks for due deliveries at once rather than at the next poll. */
  wake(): void;
  /** Unsubscribes, stops polling, and waits for enqueues and sends in flight. */
  stop(): Promise<void>;
}

/**
 * Starts the dispatcher: subscribes to `ctx.events`, enqueues a delivery per subscribed webhook for every
 * terminal execution, and polls for due deliveries. Timers are unref'd, so it never keeps the process alive.
 *
 * @example
 * const webhooks = startWebhookDispatcher(ctx);
 * // … on shutdown
 * await webhooks.stop();
 */
export function startWebhookDispatcher(ctx: AppContext, options: WebhookDispatcherOptions = {}): WebhookDispatcher {
  const pollMs = options.pollMs ?? 1000;
  const deliver: DeliverOptions = {
    batchSize: options.batchSize ?? 20,
    timeoutMs: options.timeoutMs ?? 10_000,
    leaseMs: options.leaseMs ?? 60_000,
    maxAttempts: options.maxAttempts ?? defaultMaxAttempts,
    backoff: options.backoff ?? ((attempt) => backoffDelayMs(attempt, defaultBackoffScheduleMs)),
  };
  const background = options.background ?? true;
  const inFlight = new Set<Promise<unknown>>();
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let looping = false;
  let wokenWhileLooping = false;

  const track = <T>(p: Promise<T>): Promise<T> => {
    inFlight.add(p);
    void p.finally(() => inFlight.delete(p)).catch(() => {});
    return p;
  };

  const tick = () => track(deliverDueBatch(ctx, deliver));

  const schedule = (ms: number) => {
    if (stopped || !background) return;
    clearTimeout(timer);
    timer = setTimeout(() => void loop(), ms);
    timer.unref();
  };

  // Keeps sending while batches come back full, then sleeps until the next poll or wake-up.
  const loop = async () => {
    if (looping || stopped) return;
    looping = true;
    try {
      do {
        wokenWhileLooping = false;
        while (!stopped && (await tick()) >= deliver.batchSize);
      } while (wokenWhileLooping && !stopped);
    } catch (e) {
      ctx.log.error('webhook delivery round failed', { error: String(e) });
    } finally {
      looping = false;
      schedule(pollMs);
    }
  };

  const wake = () => {
    if (looping) wokenWhileLooping = true;
    else schedule(0);
  };

  // Terminal events are gathered for one turn of the event loop, so a fan-out that finishes thousands of
  // executions at once costs one read and one insert per batch, not per execution.
  let batch: ExecutionEvent[] = [];
  const flush = () => {
    const events = batch;
    batch = [];
    if (!events.length) return; // already flushed by stop()
    track(enqueueExecutionEvents(ctx, events)).catch((e) =>
      ctx.log.error('webhook enqueue failed', { executions: events.length, error: String(e) }),
    );
  };
  const onEvent = (event: ExecutionEvent) => {
    if (stopped || !isTerminal(event.status)) return;
    if (batch.push(event) === 1) setImmediate(flush);
  };

  // Each instance enqueues its own events only: another instance's events are enqueued where they happened.
  const unsubscribe = ctx.events.subscribe(onEvent, { localOnly: true });
  const offWake = onDeliveriesEnqueued(ctx, wake);
  schedule(0);

  return {
    tick,
    wake,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      unsubscribe();
      offWake();
      if (batch.length) flush();
      while (inFlight.size) await Promise.allSettled([...inFlight]);
    },
  };
}
