/**
 * @module Schedules (on-demand data): an action run periodically (cron or interval, UTC) on the devices a query
 * selects, with a run history pruned after `retentionDays`.
 */
export { createSchedule, updateSchedule, setScheduleEnabled, deleteSchedule } from './write';
export { getSchedule, listSchedules, listScheduleRuns } from './read';
export { startScheduler, runDueSchedules, type Scheduler, type SchedulerOptions } from './scheduler';
export { parseCron, nextCronFire, CronError, type CronSpec } from './cron';
export { nextRunAt, firstRunAt } from './timing';
