/**
 * @module Detection rules (self-healing, self-help): a condition over device fields, evaluated when a device
 * changes and over the fleet when the rule changes; the action fires when a device starts matching, within
 * guards (cooldown, daily limit, attempts, concurrency cap, canary rollout, circuit breaker).
 */
export { createDetectionRule, updateDetectionRule, deleteDetectionRule, resumeDetectionRule } from './write';
export { getDetectionRule, listDetectionRules, getDetectionHealth, listDetectionEvents } from './read';
export { dryRunDetectionRule } from './dry-run';
export { startDetectionEngine, type DetectionEngine, type DetectionEngineOptions } from './engine';
export { evaluateDevices, evaluateRuleFleet } from './evaluate';
export { handleOutcomes, advanceRule } from './outcomes';
export { judge, canarySize, type Candidate, type RuleSnapshot, type Verdict } from './guards';
