import { boolean, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import type { DetectionGuards, DetectionVerdict, NeutralOutcome, ParameterValue } from '@fixpoint/protocol';
import { actions } from './actions';
import { devices, savedQueries } from './devices';
import { executions } from './executions';
import { ownerColumns } from './owner';

export const detectionRules = pgTable('detection_rules', {
  id: uuid().primaryKey().defaultRandom(),
  name: text().notNull(),
  description: text().notNull().default(''),
  // the where-clause over device fields, as written
  condition: text().notNull(),
  // narrowed to a saved query, read at each evaluation (a saved query in use cannot be deleted)
  savedQueryId: uuid().references(() => savedQueries.id, { onDelete: 'restrict' }),
  actionId: uuid().notNull().references(() => actions.id, { onDelete: 'cascade' }),
  parameters: jsonb().$type<Record<string, ParameterValue>>().notNull().default({}),
  enabled: boolean().notNull().default(true),
  // self-help: the run asks the user, so declines, postpones, no answer and no user are neutral outcomes
  selfHelp: boolean().notNull().default(false),
  guards: jsonb().$type<DetectionGuards>().notNull(),
  // circuit breaker: results finished before breaker_reset_at are outside its window
  pausedByBreaker: boolean().notNull().default(false),
  pausedReason: text(),
  pausedAt: timestamp({ withTimezone: true }),
  breakerResetAt: timestamp({ withTimezone: true }).notNull(),
  // whose rights firing uses; paused_for_owner is set (with paused_reason) when a firing finds them gone or no owner
  ...ownerColumns(),
  pausedForOwner: boolean().notNull().default(false),
  // staged rollout: runs since rollout_started_at form the canary until canary_passed_at is set
  rolloutStartedAt: timestamp({ withTimezone: true }).notNull(),
  canaryPassedAt: timestamp({ withTimezone: true }),
  createdBy: text().notNull(),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

// One row per (rule, device) while the device matches: inserting it is the not-matching → matching transition,
// deleting it (the device passes) resets the attempts.
export const detectionState = pgTable(
  'detection_state',
  {
    ruleId: uuid().notNull().references(() => detectionRules.id, { onDelete: 'cascade' }),
    deviceId: uuid().notNull().references(() => devices.id, { onDelete: 'cascade' }),
    matchedAt: timestamp({ withTimezone: true }).notNull(),
    // stamped by each fleet-wide evaluation; rows it did not stamp no longer match
    evaluationId: uuid().notNull(),
    // wants a run; guards decide when
    pending: boolean().notNull().default(true),
    attempts: integer().notNull().default(0),
    // a per-device guard (cooldown, daily limit) holds the device until then
    notBefore: timestamp({ withTimezone: true }),
    blockedBy: text().$type<DetectionVerdict>(),
  },
  (t) => [primaryKey({ columns: [t.ruleId, t.deviceId] }), index().on(t.ruleId, t.pending, t.matchedAt), index().on(t.deviceId)],
);

export type DetectionEventStatus =
  | 'launching'
  | 'launched'
  | 'succeeded'
  | 'failed'
  | 'timed_out'
  | 'canceled'
  | 'expired'
  | 'launch_failed';

// One row per run a rule fired on a device, with its outcome.
export const detectionEvents = pgTable(
  'detection_events',
  {
    id: uuid().primaryKey().defaultRandom(),
    ruleId: uuid().notNull().references(() => detectionRules.id, { onDelete: 'cascade' }),
    deviceId: uuid().notNull().references(() => devices.id, { onDelete: 'cascade' }),
    firedAt: timestamp({ withTimezone: true }).notNull(),
    attempt: integer().notNull(),
    // launching (slot reserved) → launched (execution created) → the execution's terminal status, or launch_failed
    status: text().$type<DetectionEventStatus>().notNull().default('launching'),
    executionId: uuid().references(() => executions.id, { onDelete: 'set null' }),
    requestId: uuid(),
    finishedAt: timestamp({ withTimezone: true }),
    error: text(),
    // a self-help run that ended neutrally (declined, postponed, timeout, no_user): neither success nor failure
    neutral: text().$type<NeutralOutcome>(),
  },
  (t) => [
    index().on(t.ruleId, t.deviceId, t.firedAt),
    index().on(t.ruleId, t.status),
    index().on(t.ruleId, t.finishedAt),
    index().on(t.executionId),
    // the sweep looks for open runs across rules
    index().on(t.status, t.firedAt),
  ],
);
