/**
 * @module The detection engine of one backend process: re-evaluates devices when their fields change, follows the
 * outcomes of the runs rules launched, and sweeps on a timer for holds that ran out (cooldowns, daily limits),
 * outcomes it missed (another instance's agents, a restart) and interrupted launches.
 */
import { isTerminal, type ExecutionEvent } from '@fixpoint/protocol';
import type { AppContext } from '../../context';
import type { DeviceEvent } from '../../events';
import { advanceRule, failStaleLaunches, handleOutcomes, rulesWithDueDevices } from './outcomes';
import { evaluateDevices } from './evaluate';

export interface DetectionEngineOptions {
  /** How often to sweep; default 5000 ms. */
  sweepMs?: number;
  /** Set false to sweep only through `sweep()` (tests); events are still handled. Default true. */
  background?: boolean;
}

export interface DetectionEngine {
  /** One sweep now. */
  sweep(): Promise<void>;
  /** Resolves once every change and outcome received so far has been handled. */
  settle(): Promise<void>;
  /** Unsubscribes, stops the timer and waits for work in progress. */
  stop(): Promise<void>;
}

/**
 * Starts the engine. Work runs one task at a time per process, in arrival order, so a device change and an outcome
 * for the same rule never race here; across instances the rule's row lock keeps guards exact.
 */
export function startDetectionEngine(ctx: AppContext, options: DetectionEngineOptions = {}): DetectionEngine {
  let chain: Promise<void> = Promise.resolve();
  let stopped = false;
  const run = (label: string, task: () => Promise<void>): Promise<void> =>
    (chain = chain.then(task).catch((error: unknown) => ctx.log.error(`detection ${label} failed`, { error: String(error) })));

  // Changes and outcomes are gathered for one turn of the event loop, so bursts cost one pass per batch.
  let changed = new Set<string>();
  let ended = new Set<string>();
  let flushing = false;
  const flush = () => {
    flushing = false;
    if (changed.size) {
      const ids = [...changed];
      changed = new Set();
      void run('evaluation', () => evaluateDevices(ctx, ids));
    }
    if (ended.size) {
      const ids = [...ended];
      ended = new Set();
      void run('outcome handling', () => handleOutcomes(ctx, ids));
    }
  };
  const soon = () => {
    if (flushing || stopped) return;
    flushing = true;
    setImmediate(flush);
  };
  const offDevices = ctx.deviceEvents.subscribe((change: DeviceEvent) => {
    changed.add(change.deviceId);
    soon();
  });
  const offExecutions = ctx.events.subscribe((event: ExecutionEvent) => {
    if (!isTerminal(event.status)) return;
    ended.add(event.id);
    soon();
  });

  const sweep = () =>
    run('sweep', async () => {
      await handleOutcomes(ctx);
      await failStaleLaunches(ctx);
      for (const ruleId of await rulesWithDueDevices(ctx)) await advanceRule(ctx, ruleId);
    });
  const timer = options.background === false ? undefined : setInterval(() => void sweep(), options.sweepMs ?? 5000);
  timer?.unref();

  const settle = async () => {
    // new work may be queued while earlier work runs (an outcome fires a rule, whose launch publishes events)
    for (;;) {
      const current = chain;
      await current;
      await new Promise((resolve) => setImmediate(resolve));
      if (flushing) flush();
      if (chain === current && !changed.size && !ended.size) return;
    }
  };

  return {
    sweep,
    settle,
    async stop() {
      stopped = true;
      clearInterval(timer);
      offDevices?.();
      offExecutions();
      await chain;
    },
  };
}
