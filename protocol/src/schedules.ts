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
  /** Most seconds a firing may spread its devices over. */
  maxSpreadSec: 86_400,
  /** Device-local schedules fire this far ahead of UTC (the earliest time zone, UTC+14) ... */
  deviceLeadSec: 14 * 3600,
  /** ... and their envelopes wait on devices up to this long (until the latest time zone, UTC-12, reaches the time). */
  deviceHoldSec: 26 * 3600,
} as const;

/** Failure damping a schedule starts with: after 10 failures in a row on a device, skip that device for 12 hours. */
export const defaultDamping = { failures: 10, skipSec: 12 * 3600 } as const;

/**
 * Failure damping: a device whose last `failures` runs of this schedule all failed (or timed out) is skipped until
 * `skipSec` after the last of them; then it runs again, and one more failure skips it again.
 */
export const ScheduleDamping = z.strictObject({
  failures: z.number().int().min(1).max(1000),
  skipSec: z.number().int().min(60).max(30 * 86_400),
});
export type ScheduleDamping = z.infer<typeof ScheduleDamping>;

/**
 * `utc`: the cron expression reads UTC. `device`: it reads each device's local clock; the backend fires each
 * occurrence when the earliest time zone reaches it and every agent holds the envelope until its own clock does.
 */
export const ScheduleTimezone = z.enum(['utc', 'device']);
export type ScheduleTimezone = z.infer<typeof ScheduleTimezone>;

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
  /**
   * A saved query (id or name) the target is narrowed to, read at each firing: a dynamic category. It must be a
   * condition (no `limit`). Null: the target alone.
   */
  savedQuery: z.string().trim().min(1).max(100).nullable(),
  /** Five-field cron expression (or `@hourly`, `@daily`, …), read in `timezone`. Exactly one of `cron` and `intervalSec`. */
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
  /** Whose clock the cron expression reads; `device` needs `cron`. */
  timezone: ScheduleTimezone,
  /**
   * Each device runs up to this many seconds after the due time, at a stable offset of its own (a hash of the
   * schedule and device ids), so a large fleet does not fire in the same second. 0: all at once.
   */
  spreadSec: z.number().int().min(0).max(scheduleLimits.maxSpreadSec),
  /** Failure damping; null never skips a failing device. */
  damping: ScheduleDamping.nullable(),
};

const deviceNeedsCron = (s: { timezone?: ScheduleTimezone | undefined; cron?: string | null | undefined }) => s.timezone !== 'device' || s.cron != null;

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
    savedQuery: scheduleFields.savedQuery.default(null),
    timezone: scheduleFields.timezone.default('utc'),
    spreadSec: scheduleFields.spreadSec.default(0),
    damping: scheduleFields.damping.default({ ...defaultDamping }),
  })
  .refine(oneTiming, { message: 'give exactly one of cron and intervalSec', path: ['cron'] })
  .refine(deviceNeedsCron, { message: 'a schedule in device time needs a cron expression', path: ['timezone'] });
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
  /** The saved query the target is narrowed to, by id, and its name. */
  savedQuery: z.object({ id: Id, name: z.string() }).nullable(),
  cron: z.string().nullable(),
  intervalSec: z.number().int().nullable(),
  expirySec: z.number().int().nullable(),
  enabled: z.boolean(),
  retentionDays: z.number().int(),
  /** The rollout saved for its firings; null with `unstaged` false means the default above the threshold. */
  rollout: RolloutInput.nullable(),
  /** Fires on every device at once (saved with `rollout: null`). */
  unstaged: z.boolean(),
  timezone: ScheduleTimezone,
  spreadSec: z.number().int(),
  damping: ScheduleDamping.nullable(),
  /**
   * When it fires next; null while disabled or paused. In device time this is when the earliest time zone
   * (UTC+14) reaches the next occurrence.
   */
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

/** A device a firing left out, why, and until when it stays out. */
export const SkippedDevice = z.object({
  deviceId: Id,
  deviceName: z.string(),
  reason: z.literal('failing'),
  /** Its runs of this schedule that failed in a row (the damping threshold). */
  failures: z.number().int(),
  until: Timestamp,
});
export type SkippedDevice = z.infer<typeof SkippedDevice>;

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
  /** Of `skipped`, the devices left out by failure damping; null as `matched`. */
  damped: z.number().int().nullable(),
  /** The damped devices (the first 100), with why and until when; a narrower caller sees only its devices. */
  skippedDevices: z.array(SkippedDevice),
});
export type ScheduleRun = z.infer<typeof ScheduleRun>;
export const ScheduleRunList = page(ScheduleRun);
export const ScheduleListQuery = PageQuery;
