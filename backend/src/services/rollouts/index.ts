/**
 * @module Staged rollouts of launches: waves released as the one before succeeds (`advance.ts`), the engine that
 * steps them on outcomes and on a timer, resume and cancel, and the progress `GET /requests/:id` shows.
 */
export { advanceRollout, runningRollouts, rolloutLabel } from './advance';
export { startRolloutEngine, type RolloutEngine, type RolloutEngineOptions } from './engine';
export { pauseRollout, resumeRollout, cancelRequest } from './control';
export { rolloutProgress } from './progress';
export { publishRolloutEvent, readRolloutEvent } from './announce';
