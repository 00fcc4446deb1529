/** @module Row → wire converters for schedules and their runs. */
import type { ActionDefinition, Schedule, ScheduleRun } from '@fixpoint/protocol';
import type { scheduleRuns, schedules } from '../../db/schema';
import { maskSecrets, ownerOf } from '../automation';

export type ScheduleRow = typeof schedules.$inferSelect;
type RunRow = typeof scheduleRuns.$inferSelect;

/** `savedQueryName`: the name of the saved query the row names, looked up by the caller. */
export function toSchedule(row: ScheduleRow, action: { slug: string; definition: ActionDefinition | undefined }, savedQueryName = ''): Schedule {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    actionId: row.actionId,
    actionSlug: action.slug,
    parameters: maskSecrets(row.parameters, action.definition),
    target: row.target,
    savedQuery: row.savedQueryId ? { id: row.savedQueryId, name: savedQueryName } : null,
    cron: row.cron,
    intervalSec: row.intervalSec,
    expirySec: row.expirySec,
    enabled: row.enabled,
    retentionDays: row.retentionDays,
    rollout: row.rollout,
    unstaged: row.unstaged,
    timezone: row.timezone,
    spreadSec: row.spreadSec,
    damping: row.damping,
    nextRunAt: row.nextRunAt?.toISOString() ?? null,
    lastRunAt: row.lastRunAt?.toISOString() ?? null,
    owner: ownerOf(row)?.label ?? null,
    pausedReason: row.pausedReason,
    pausedAt: row.pausedAt?.toISOString() ?? null,
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export function toScheduleRun(row: RunRow): ScheduleRun {
  return {
    id: row.id,
    scheduleId: row.scheduleId,
    at: row.at.toISOString(),
    matched: row.matched,
    launched: row.launched,
    skipped: row.skipped,
    requestIds: row.requestIds,
    error: row.error,
    damped: row.damped,
    skippedDevices: row.skippedDevices,
  };
}
