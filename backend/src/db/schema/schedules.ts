import { boolean, index, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import type { ParameterValue, RolloutInput, ScheduleDamping, ScheduleTimezone, SkippedDevice } from '@fixpoint/protocol';
import { actions } from './actions';
import { savedQueries } from './devices';
import { ownerColumns, pauseColumns } from './owner';

// On-demand data: an action run periodically on the devices a query selects.
export const schedules = pgTable(
  'schedules',
  {
    id: uuid().primaryKey().defaultRandom(),
    name: text().notNull(),
    description: text().notNull().default(''),
    // what runs: the action's latest version at each firing
    actionId: uuid().notNull().references(() => actions.id, { onDelete: 'cascade' }),
    parameters: jsonb().$type<Record<string, ParameterValue>>().notNull().default({}),
    expirySec: integer(),
    // where: a devices query
    target: text().notNull(),
    // narrowed to a saved query, read at each firing (a saved query in use cannot be deleted)
    savedQueryId: uuid().references(() => savedQueries.id, { onDelete: 'restrict' }),
    // when: exactly one of a cron expression (UTC) and an interval
    cron: text(),
    intervalSec: integer(),
    enabled: boolean().notNull().default(true),
    // the scheduler claims rows whose next_run_at has passed; null while disabled
    nextRunAt: timestamp({ withTimezone: true }),
    lastRunAt: timestamp({ withTimezone: true }),
    retentionDays: integer().notNull().default(30),
    // staged rollout of each firing: the one saved, none at all (unstaged), or the default when both are unset
    rollout: jsonb().$type<RolloutInput>(),
    unstaged: boolean().notNull().default(false),
    // whose clock the cron reads, the window each firing spreads its devices over, and failure damping (null: off)
    timezone: text().$type<ScheduleTimezone>().notNull().default('utc'),
    spreadSec: integer().notNull().default(0),
    damping: jsonb().$type<ScheduleDamping>().default({ failures: 10, skipSec: 43_200 }),
    // whose rights each firing uses; a firing whose owner lost them pauses the schedule (next_run_at null)
    ...ownerColumns(),
    ...pauseColumns(),
    createdBy: text().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index().on(t.enabled, t.nextRunAt), index().on(t.name)],
);

export const scheduleRuns = pgTable(
  'schedule_runs',
  {
    id: uuid().primaryKey().defaultRandom(),
    scheduleId: uuid().notNull().references(() => schedules.id, { onDelete: 'cascade' }),
    at: timestamp({ withTimezone: true }).notNull(),
    matched: integer().notNull().default(0),
    launched: integer().notNull().default(0),
    skipped: integer().notNull().default(0),
    requestIds: jsonb().$type<string[]>().notNull().default([]),
    error: text(),
    // devices left out by failure damping: how many, and the first ones with until when
    damped: integer().notNull().default(0),
    skippedDevices: jsonb().$type<SkippedDevice[]>().notNull().default([]),
  },
  (t) => [index().on(t.scheduleId, t.at), index().on(t.at)],
);
