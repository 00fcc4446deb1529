import { bigserial, index, integer, jsonb, pgTable, smallint, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import type {
  BreakerSettings, ExecutionOrigin, ExecutionStatus, ExecutionTrigger, LaunchResponse, ParameterValue, RolloutState, TriggerInfo,
} from '@fixpoint/protocol';
import { actionVersions } from './actions';
import { devices } from './devices';

// One launch: the request a user or client made, kept for idempotent retries.
export const executionRequests = pgTable(
  'execution_requests',
  {
    id: uuid().primaryKey().defaultRandom(),
    actionVersionId: uuid().notNull().references(() => actionVersions.id),
    requestedBy: text().notNull(),
    trigger: text().$type<ExecutionTrigger>().notNull(),
    triggerInfo: jsonb().$type<TriggerInfo>().notNull().default({}),
    // the Idempotency-Key header, unique per caller, with the response it produced
    principalId: text().notNull(),
    idempotencyKey: text(),
    requestHash: text(),
    response: jsonb().$type<LaunchResponse>(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    // staged rollout (all null for a launch to every device at once): the plan, and where it stands
    rollout: jsonb().$type<RolloutPlan>(),
    rolloutState: text().$type<RolloutState>(),
    // 0-based index of the wave released last
    currentWave: smallint(),
    // while waiting `waitSec` before the next wave
    nextWaveAt: timestamp({ withTimezone: true }),
    pausedReason: text(),
    // the breaker counts results finished after this (a resume resets it)
    breakerResetAt: timestamp({ withTimezone: true }),
    // a resume accepts the current wave's results whatever its success rate
    waivedWave: smallint(),
  },
  // created_at: the retention prune finds old requests without reading the whole table
  (t) => [unique().on(t.principalId, t.idempotencyKey), index().on(t.rolloutState), index().on(t.createdAt)],
);

/** A rollout as resolved at launch: per wave its cumulative device count and the success rate it must reach. */
export interface RolloutPlan {
  waves: { percent: number; size: number; minSuccessRate: number }[];
  waitSec: number;
  breaker: BreakerSettings;
}

export const executions = pgTable(
  'executions',
  {
    id: uuid().primaryKey().defaultRandom(),
    // per-device delivery order
    seq: bigserial({ mode: 'number' }).notNull(),
    // No foreign keys to the request, action and version: the launch inserts the request in the same statement, and
    // actions (archived, never deleted) and their immutable versions are never removed. Three key checks per row were
    // a sixth of a 10,000-device launch.
    requestId: uuid().notNull(),
    deviceId: uuid().notNull().references(() => devices.id, { onDelete: 'cascade' }),
    actionId: uuid().notNull(),
    actionVersionId: uuid().notNull(),
    status: text().$type<ExecutionStatus>().notNull().default('queued'),
    // the rollout wave (0-based) it belongs to; null outside a staged rollout
    wave: smallint(),
    trigger: text().$type<ExecutionTrigger>().notNull(),
    triggerInfo: jsonb().$type<TriggerInfo>().notNull().default({}),
    requestedBy: text().notNull(),
    // non-secret values; secret ones live in `secretParameters` until the execution ends, then are erased
    parameters: jsonb().$type<Record<string, ParameterValue>>().notNull().default({}),
    secretParameters: jsonb().$type<Record<string, ParameterValue> | null>(),
    // the envelope signature issued at launch (base64), over the payload rebuilt from this row
    signature: text().notNull(),
    issuedAt: timestamp({ withTimezone: true }).notNull(),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    // the signed hold (EnvelopePayload.notBefore): an instant ending in Z, or a device wall-clock time; null runs at once
    notBefore: text(),
    // who launched it, as the device's activity view shows it (signed in the envelope); null before it existed
    origin: jsonb().$type<ExecutionOrigin>(),
    // transition timestamps
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    deliveredAt: timestamp({ withTimezone: true }),
    startedAt: timestamp({ withTimezone: true }),
    finishedAt: timestamp({ withTimezone: true }),
    // result
    exitCode: integer(),
    error: text(),
    stdoutTail: text(),
    stderrTail: text(),
    outputs: jsonb().$type<Record<string, unknown>>(),
  },
  (t) => [
    index().on(t.deviceId, t.status, t.seq),
    index().on(t.requestId),
    index().on(t.status, t.expiresAt),
    index().on(t.createdAt),
    index().on(t.actionId),
  ],
);
