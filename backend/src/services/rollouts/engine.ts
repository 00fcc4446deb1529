/**
 * @module The rollout engine of one backend process: steps a rollout when one of its executions ends (here or on
 * another instance: execution events are relayed), and sweeps running rollouts on a timer for waits that ran out,
 * expiries and anything missed. Steps are serialized per process; across processes the request's row lock is.
 */
import { isTerminal, type ExecutionEvent } from '@fixpoint/protocol';
import type { AppContext } from '../../context';
import { advanceRollout, runningRollouts } from './advance';

export interface RolloutEngineOptions {
  /** How often to sweep; default 5000 ms. */
  sweepMs?: number;
  /** Set false to sweep only through `sweep()` (tests); events are still handled. Default true. */
  background?: boolean;
}

export interface RolloutEngine {
  sweep(): Promise<void>;
  /** Resolves once every outcome received so far has been handled. */
  settle(): Promise<void>;
  stop(): Promise<void>;
}

export function startRolloutEngine(ctx: AppContext, options: RolloutEngineOptions = {}): RolloutEngine {
  let chain: Promise<void> = Promise.resolve();
  let stopped = false;
  const run = (task: () => Promise<void>): Promise<void> =>
    (chain = chain.then(task).catch((error: unknown) => ctx.log.error('rollout step failed', { error: String(error) })));
  const step = async (requestIds?: readonly string[]) => {
    for (const id of await runningRollouts(ctx, requestIds)) await advanceRollout(ctx, id);
  };

  // Outcomes are gathered for one turn of the event loop: a burst of results costs one look-up.
  let ended = new Set<string>();
  let flushing = false;
  const flush = () => {
    flushing = false;
    if (!ended.size) return;
    const ids = [...ended];
    ended = new Set();
    void run(() => step(ids));
  };
  const off = ctx.events.subscribe((event: ExecutionEvent) => {
    if (!isTerminal(event.status) || stopped) return;
    ended.add(event.requestId);
    if (!flushing) {
      flushing = true;
      setImmediate(flush);
    }
  });
  const sweep = () => run(() => step());
  const timer = options.background === false ? undefined : setInterval(() => void sweep(), options.sweepMs ?? 5000);
  timer?.unref();

  return {
    sweep,
    async settle() {
      for (;;) {
        const current = chain;
        await current;
        await new Promise((resolve) => setImmediate(resolve));
        if (flushing) flush();
        if (chain === current && !ended.size) return;
      }
    },
    async stop() {
      stopped = true;
      clearInterval(timer);
      off();
      await chain;
    },
  };
}
