/**
 * @module Detection rules (self-healing and self-help): a condition over device fields, the action that fires when
 * a device starts matching, and the guards that bound how often and how widely it fires.
 */
import { z } from 'zod';
import { Id, Timestamp, page, utf8Length } from './common';
import { ParameterValue, RunAs } from './actions';
import { queryLimits } from './query';
import { neutralOutcomes } from './campaign-exit';

export const detectionLimits = {
  /** Attempts per device while it keeps matching; reset once it passes. */
  maxAttempts: 3,
  maxCooldownSec: 30 * 86_400,
  maxRunsPerDevicePerDay: 100,
  maxConcurrent: 10_000,
  maxBreakerWindow: 1000,
} as const;

/** Pauses the rule when, among the last `window` results, the failure rate reaches `failureRate` (after `minResults`). */
export const BreakerSettings = z.strictObject({
  window: z.number().int().min(1).max(detectionLimits.maxBreakerWindow).default(20),
  minResults: z.number().int().min(1).max(detectionLimits.maxBreakerWindow).default(5),
  failureRate: z.number().gt(0).max(1).default(0.5),
});
export type BreakerSettings = z.infer<typeof BreakerSettings>;

const guardFields = {
  /** Seconds between two runs on one device. */
  cooldownSec: z.number().int().min(0).max(detectionLimits.maxCooldownSec),
  /** Runs on one device in any 24 hours. */
  maxRunsPerDevicePerDay: z.number().int().min(1).max(detectionLimits.maxRunsPerDevicePerDay),
  /** Runs on one device while it keeps matching (at most 3); the count resets when the device passes. */
  maxAttempts: z.number().int().min(1).max(detectionLimits.maxAttempts),
  /** Executions of this rule queued or running at once, fleet-wide. */
  maxConcurrent: z.number().int().min(1).max(detectionLimits.maxConcurrent),
  /** Staged rollout: this share of the matching devices must succeed before the rest run; 0 turns it off. */
  canaryPercent: z.number().min(0).max(100),
};

export const DetectionGuards = z.strictObject({
  cooldownSec: guardFields.cooldownSec.default(3600),
  maxRunsPerDevicePerDay: guardFields.maxRunsPerDevicePerDay.default(3),
  maxAttempts: guardFields.maxAttempts.default(detectionLimits.maxAttempts),
  maxConcurrent: guardFields.maxConcurrent.default(100),
  canaryPercent: guardFields.canaryPercent.default(10),
  breaker: BreakerSettings.prefault({}),
});
export type DetectionGuards = z.infer<typeof DetectionGuards>;

/** Guard changes: only the fields given change. */
export const DetectionGuardsPatch = z.strictObject({ ...guardFields, breaker: BreakerSettings.partial() }).partial();
export type DetectionGuardsPatch = z.infer<typeof DetectionGuardsPatch>;

/** The part after `devices | where`, e.g. `disk.free_pct < 10 and platform == "windows"`. */
export const DetectionCondition = z
  .string()
  .trim()
  .min(1)
  .refine((q) => utf8Length(q) <= queryLimits.maxQueryBytes, `longer than ${queryLimits.maxQueryBytes} bytes`);

const ruleFields = {
  name: z.string().trim().min(1).max(100),
  description: z.string().max(2000),
  condition: DetectionCondition,
  /**
   * A saved query (id or name) the rule is narrowed to, read at each evaluation: a dynamic category. It must be a
   * condition (no `limit`). Null: every device the condition matches.
   */
  savedQuery: z.string().trim().min(1).max(100).nullable(),
  /** Action id or slug; its latest version runs, and must allow the `detection` trigger. */
  action: z.string().min(1).max(100),
  parameters: z.record(z.string(), ParameterValue),
  enabled: z.boolean(),
  /**
   * Self-help: the run asks the user at the console (through a campaign), so a user who declines or postpones, no
   * answer in time, or nobody logged in is a neutral outcome, never a failure. Always true for an action that runs as
   * the user; set it for a system run that asks through `fixpoint campaign`.
   */
  selfHelp: z.boolean(),
};

export const DetectionRuleInput = z.strictObject({
  ...ruleFields,
  description: ruleFields.description.default(''),
  parameters: ruleFields.parameters.default({}),
  enabled: ruleFields.enabled.default(true),
  selfHelp: ruleFields.selfHelp.default(false),
  savedQuery: ruleFields.savedQuery.default(null),
  guards: DetectionGuards.prefault({}),
});
export type DetectionRuleInput = z.infer<typeof DetectionRuleInput>;

export const DetectionRuleUpdate = z
  .strictObject({ ...ruleFields, guards: DetectionGuardsPatch })
  .partial()
  .refine((v) => Object.keys(v).length > 0, 'give at least one field to change');
export type DetectionRuleUpdate = z.infer<typeof DetectionRuleUpdate>;

export const DetectionRule = z.object({
  id: Id,
  name: z.string(),
  description: z.string(),
  condition: z.string(),
  /** The saved query the rule is narrowed to, by id, and its name. */
  savedQuery: z.object({ id: Id, name: z.string() }).nullable(),
  actionId: Id,
  actionSlug: z.string(),
  /** How the action's latest version runs: as the system, or as the logged-in user. */
  runAs: RunAs,
  /** Self-help (set on the rule, or implied by an action that runs as the user): see `DetectionRuleInput`. */
  selfHelp: z.boolean(),
  /** Secret parameter values read "***". */
  parameters: z.record(z.string(), ParameterValue),
  enabled: z.boolean(),
  guards: DetectionGuards,
  /** Set by the circuit breaker; `POST /detections/:id/resume` clears it. */
  pausedByBreaker: z.boolean(),
  /** Set when a firing found its owner gone or no longer allowed to run the action (or no owner); saving or resuming it clears it. */
  pausedForOwner: z.boolean(),
  pausedReason: z.string().nullable(),
  pausedAt: Timestamp.nullable(),
  /** `canary` until the canary share has succeeded, then `full`. */
  rolloutStage: z.enum(['canary', 'full']),
  /**
   * Whose rights firing uses (`user:<email>` or `client:<clientId>`): whoever last saved or resumed it. Null for a
   * rule saved before owners existed; it pauses with "no owner" when it would fire.
   */
  owner: z.string().nullable(),
  createdBy: z.string(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type DetectionRule = z.infer<typeof DetectionRule>;
export const DetectionRuleList = page(DetectionRule);

/** Why a matching device does (`fires`) or does not fire now. */
export const detectionVerdicts = [
  'fires',
  'already_handled',
  'in_flight',
  'cooldown',
  'daily_limit',
  'max_attempts',
  'concurrency_cap',
  'canary',
  'paused',
  'disabled',
  'no_script',
] as const;
export const DetectionVerdict = z.enum(detectionVerdicts);
export type DetectionVerdict = z.infer<typeof DetectionVerdict>;

export const DetectionDryRun = z.object({
  ruleId: Id,
  evaluatedAt: Timestamp,
  /** Devices the condition matches now. */
  matching: z.number().int(),
  /** Of those, how many would fire now. */
  wouldFire: z.number().int(),
  /** Per verdict, how many matching devices got it. */
  verdicts: z.partialRecord(DetectionVerdict, z.number().int()),
  /** Up to 1000 matching devices, in the order firing would take them, with their verdict. */
  devices: z.array(
    z.object({ deviceId: Id, deviceName: z.string(), verdict: DetectionVerdict, detail: z.string() }),
  ),
  truncated: z.boolean(),
});
export type DetectionDryRun = z.infer<typeof DetectionDryRun>;

export const DetectionHealth = z.object({
  ruleId: Id,
  /** Devices matching now. */
  matches: z.number().int(),
  /** Matching devices waiting for a run (blocked by a guard, or queued behind the rollout). */
  pending: z.number().int(),
  inFlight: z.number().int(),
  fired: z.number().int(),
  succeeded: z.number().int(),
  /** Failed, timed out, or could not be launched. */
  failed: z.number().int(),
  /** Self-help runs the user declined or postponed, did not answer in time, or found nobody logged in: no failures. */
  neutral: z.number().int(),
  neutralByOutcome: z.object({ declined: z.number().int(), postponed: z.number().int(), timeout: z.number().int(), no_user: z.number().int() }),
  /** Canceled or expired before running. */
  other: z.number().int(),
  pausedByBreaker: z.boolean(),
  pausedReason: z.string().nullable(),
  lastError: z.string().nullable(),
  /** Why the rule fires nothing now: its action's latest version awaits four-eyes approval (its devices wait, using no attempt). */
  awaitingApproval: z.string().nullable(),
  lastFiredAt: Timestamp.nullable(),
  rollout: z.object({ stage: z.enum(['canary', 'full']), canarySize: z.number().int(), canarySucceeded: z.number().int() }),
});
export type DetectionHealth = z.infer<typeof DetectionHealth>;

export const NeutralOutcomeSchema = z.enum(neutralOutcomes);

/** One run a rule fired on a device, with how it ended. */
export const DetectionEvent = z.object({
  id: Id,
  deviceId: Id,
  deviceName: z.string(),
  firedAt: Timestamp,
  /** Attempt number since the device started matching. */
  attempt: z.number().int(),
  /** `launching`, `launched`, `launch_failed`, or the execution's terminal status. */
  status: z.enum(['launching', 'launched', 'succeeded', 'failed', 'timed_out', 'canceled', 'expired', 'launch_failed']),
  /** Set for a self-help run that ended neutrally; the status stays the execution's own. */
  neutral: NeutralOutcomeSchema.nullable(),
  executionId: Id.nullable(),
  finishedAt: Timestamp.nullable(),
  error: z.string().nullable(),
});
export type DetectionEvent = z.infer<typeof DetectionEvent>;
export const DetectionEventList = page(DetectionEvent);
