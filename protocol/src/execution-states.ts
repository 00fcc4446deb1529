/** @module The execution state machine's constants, free of zod so browser bundles can use them without it. */
export const executionStatuses = [
  'held', 'queued', 'delivered', 'running', 'succeeded', 'failed', 'timed_out', 'canceled', 'expired',
] as const;
type ExecutionStatus = (typeof executionStatuses)[number];
export const terminalStatuses: readonly ExecutionStatus[] = ['succeeded', 'failed', 'timed_out', 'canceled', 'expired'];
export const isTerminal = (s: ExecutionStatus) => terminalStatuses.includes(s);

/** Allowed transitions of the execution state machine. A terminal state never changes again. */
export const transitions: Record<ExecutionStatus, readonly ExecutionStatus[]> = {
  // a later wave of a staged rollout, waiting for its release
  held: ['queued', 'canceled', 'expired'],
  queued: ['delivered', 'running', 'succeeded', 'failed', 'timed_out', 'canceled', 'expired'],
  delivered: ['running', 'succeeded', 'failed', 'timed_out', 'canceled', 'expired'],
  running: ['succeeded', 'failed', 'timed_out', 'canceled'],
  succeeded: [],
  failed: [],
  timed_out: [],
  canceled: [],
  expired: [],
};
