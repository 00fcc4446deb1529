/**
 * @module Schedules (on-demand data): an action with parameters, run periodically on the devices a query selects.
 * Each firing is kept in the schedule's run history for `retentionDays`.
 */
import { z } from 'zod';
import { Id, PageQuery, Timestamp, page, utf8Length } from './common';
import { ParameterValue } from './actions';
import { limits } from './limits';
import { queryLimits } from './query';
import { RolloutInput } from './rollout';

export const scheduleLimits = {
  minIntervalSec: 60,
  maxIntervalSec: 366 * 86_400,
  maxRetentionDays: 3650,
  defaultRetentionDays: 30,
} as const;

/** A devices query, e.g. `devices | where platform == "windows"`; any stage but `summarize`. */
export const DeviceQueryText = z
  .string()
  .trim()
  .min(1)
  .refine((q) => utf8Length(q) <= queryLimits.maxQueryBytes, `longer than ${queryLimits.maxQueryBytes} bytes`);

const scheduleFields = {
  name: z.string().trim().min(1).max(100),
  description: z.string().max(2000),
  /** Action id or slug; each firing runs its latest version, which must allow the `schedule` trigger. */
  action: z.string().min(1).max(100),
  parameters: z.record(z.string(), ParameterValue),
  target: DeviceQueryText,
  /** Five-field cron expression (or `@hourly`, `@daily`, …), evaluated in UTC. Exactly one of `cron` and `intervalSec`. */
  cron: z.string().trim().min(1).max(200).nullable(),
  intervalSec: z.number().int().min(scheduleLimits.minIntervalSec).max(scheduleLimits.maxIntervalSec).nullable(),
  /** How long executions wait for offline devices; the action's expiry when null. */
  expirySec: z.number().int().min(limits.minExpirySec).max(limits.maxExpirySec).nullable(),
  enabled: z.boolean(),
  /** Days of run history kept. */
  retentionDays: z.number().int().min(1).max(scheduleLimits.maxRetentionDays),
  /**
   * Staged rollout of each firing (see `LaunchRequest.rollout`): omitted, a firing to more devices than the rollout
   * threshold gets the default rollout; `null` fires on every device at once and needs `actions:run_unstaged`.
   */
  rollout: RolloutInput.nullable(),
};

const oneTiming = (s: { cron?: string | null; intervalSec?: number | null }) => (s.cron == null) !== (s.intervalSec == null);

export const ScheduleInput = z
  .strictObject({
    ...scheduleFields,
    description: scheduleFields.description.default(''),
    parameters: scheduleFields.parameters.default({}),
    cron: scheduleFields.cron.optional(),
    intervalSec: scheduleFields.intervalSec.optional(),
    expirySec: scheduleFields.expirySec.optional(),
    enabled: scheduleFields.enabled.default(true),
    retentionDays: scheduleFields.retentionDays.default(scheduleLimits.defaultRetentionDays),
    rollout: scheduleFields.rollout.optional(),
  })
  .refine(oneTiming, { message: 'give exactly one of cron and intervalSec', path: ['cron'] });
export type ScheduleInput = z.infer<typeof ScheduleInput>;

/**
 * `PUT /schedules/:id`: the fields to change. Giving `cron` clears `intervalSec` and the reverse; `parameters`
 * replaces the whole set.
 */
export const ScheduleUpdate = z
  .strictObject(scheduleFields)
  .partial()
  .refine((v) => Object.keys(v).length > 0, 'give at least one field to change')
  .refine((v) => !(v.cron != null && v.intervalSec != null), { message: 'give only one of cron and intervalSec', path: ['cron'] });
export type ScheduleUpdate = z.infer<typeof ScheduleUpdate>;

export const Schedule = z.object({
  id: Id,
  name: z.string(),
  description: z.string(),
  actionId: Id,
  actionSlug: z.string(),
  /** Secret parameter values read "***". */
  parameters: z.record(z.string(), ParameterValue),
  target: z.string(),
  cron: z.string().nullable(),
  intervalSec: z.number().int().nullable(),
  expirySec: z.number().int().nullable(),
  enabled: z.boolean(),
  retentionDays: z.number().int(),
  /** The rollout saved for its firings; null with `unstaged` false means the default above the threshold. */
  rollout: RolloutInput.nullable(),
  /** Fires on every device at once (saved with `rollout: null`). */
  unstaged: z.boolean(),
  /** When it fires next; null while disabled or paused. */
  nextRunAt: Timestamp.nullable(),
  lastRunAt: Timestamp.nullable(),
  /**
   * Whose rights every firing uses (`user:<email>` or `client:<clientId>`): whoever last saved it. Null for a
   * schedule saved before owners existed; it pauses with "no owner" at its next firing.
   */
  owner: z.string().nullable(),
  /** Why it stopped firing on its own (its owner lost the right to run the action, or it has none); saving it again lifts the pause. */
  pausedReason: z.string().nullable(),
  pausedAt: Timestamp.nullable(),
  createdBy: z.string(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type Schedule = z.infer<typeof Schedule>;
export const ScheduleList = page(Schedule);

/**
 * One firing: how many devices the target matched, how many got an execution, and the launch requests made. Counts
 * and requests cover only devices in the caller's scope: for a caller who does not reach every device, `launched`
 * counts its devices' executions, `requestIds` the requests that reached them, and `matched`/`skipped` are null.
 */
export const ScheduleRun = z.object({
  id: Id,
  scheduleId: Id,
  at: Timestamp,
  /** Devices the target matched within the owner's scope; null for a caller whose scope is narrower than the fleet. */
  matched: z.number().int().nullable(),
  /** Executions created (one per matched device with a script for its platform and no run of this schedule pending). */
  launched: z.number().int(),
  /** Matched devices left out: no script for their platform, or an earlier run still queued for them. Null as `matched`. */
  skipped: z.number().int().nullable(),
  requestIds: z.array(Id),
  error: z.string().nullable(),
});
export type ScheduleRun = z.infer<typeof ScheduleRun>;
export const ScheduleRunList = page(ScheduleRun);
export const ScheduleListQuery = PageQuery;
