/**
 * @module Executions: launch, signed envelopes, the state machine, expiry, reading, cancel and live status.
 *
 * The agent channel uses: `pendingForDevice` / `pendingForDevices` (work to push, with signed envelopes),
 * `envelopeFor` / `envelopesFor`, `recordProgress` and `recordResults` (batched reports), `transitionExecution` (one
 * report at a time) and `expireOverdue`.
 */
export { launchExecutions, type LaunchInput, type LaunchResult } from './launch';
export { planLaunches, type LaunchAsk, type LaunchPlan } from './launch-plan';
export {
  buildEnvelopePayload, signEnvelope, envelopeFor, envelopesFor, scriptFor, type EnvelopeExecution, type EnvelopeDevice,
} from './envelope';
export { transitionExecution, allowedFrom, type TransitionInput, type TransitionResult } from './transition';
export { expireOverdue, startExpirySweeper } from './expire';
export { pendingForDevice, pendingForDevices, type PendingExecution } from './pending';
export { recordResults, type ResultReport, type ResultsOutcome, type ResultStatus } from './results';
export { recordProgress, executionStatusesOf, type ProgressReport, type ProgressOutcome } from './progress';
export { listExecutions, getExecution, getExecutionRequest } from './read';
export { cancelExecution } from './cancel';
export { waitForExecution } from './wait';
export { openExecutionWatch, type WatchFilter } from './watch';
export { toExecution } from './convert';
export { cacheUnapprovedVersions } from './version-cache';
