/**
 * @module Retention: finished executions, their requests and detection runs are kept for the configured days
 * (`FIXPOINT_RETENTION_DAYS`, `FIXPOINT_DETECTION_RETENTION_DAYS`), then pruned in batches by one instance at a time.
 */
export { pruneHistory, type PruneCounts, type PruneOptions, type PruneResult } from './prune';
export { runRetention, startRetention, type RetentionRunner, type RetentionRunnerOptions } from './runner';
export { readSettings } from './settings';
