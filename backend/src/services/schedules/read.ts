import { and, asc, count, desc, eq } from 'drizzle-orm';
import type { Schedule, ScheduleRun } from '@fixpoint/protocol';
import type { AppContext } from '../../context';
import type { Db, Tx } from '../../db';
import { anyId } from '../../db/any-id';
import { devices, executions, scheduleRuns, schedules } from '../../db/schema';
import { notFound } from '../../errors';
import type { Principal } from '../identity/rights';
import { deviceScopeCondition, seesAllDevices } from '../devices/scope';
import { pageOf, type Page } from '../page';
import { actionSummaries, savedQueryNames } from '../automation';
import { toSchedule, toScheduleRun, type ScheduleRow } from './convert';

/** Loads a schedule row or throws 404. */
export async function loadSchedule(db: Db | Tx, id: string, lock = false): Promise<ScheduleRow> {
  const query = db.select().from(schedules).where(eq(schedules.id, id));
  const [row] = lock ? await query.for('update') : await query;
  if (!row) throw notFound('schedule');
  return row;
}

/** Converts rows, looking up their actions' slugs and definitions, and their saved queries' names, in one query each. */
export async function presentSchedules(db: Db | Tx, rows: ScheduleRow[]): Promise<Schedule[]> {
  const summaries = await actionSummaries(db, rows.map((r) => r.actionId));
  const names = await savedQueryNames(db, rows.map((r) => r.savedQueryId));
  return rows.map((r) => toSchedule(r, summaries.get(r.actionId) ?? { slug: '', definition: undefined }, names.get(r.savedQueryId ?? '')));
}

export async function getSchedule(ctx: AppContext, id: string): Promise<Schedule> {
  const [schedule] = await presentSchedules(ctx.db, [await loadSchedule(ctx.db, id)]);
  return schedule!;
}

export async function listSchedules(ctx: AppContext, input: { limit: number; offset: number }): Promise<Page<Schedule>> {
  const [rows, [total]] = await Promise.all([
    ctx.db.select().from(schedules).orderBy(asc(schedules.name), asc(schedules.id)).limit(input.limit).offset(input.offset),
    ctx.db.select({ n: count() }).from(schedules),
  ]);
  return pageOf(await presentSchedules(ctx.db, rows), total?.n ?? 0, input.offset);
}

/**
 * A schedule's run history, newest first. A caller who does not reach every device sees only its devices: the
 * executions launched on them and the requests that reached them, and no totals of matched or skipped devices.
 */
export async function listScheduleRuns(
  ctx: AppContext,
  input: { principal: Principal; id: string; limit: number; offset: number },
): Promise<Page<ScheduleRun>> {
  await loadSchedule(ctx.db, input.id);
  const where = eq(scheduleRuns.scheduleId, input.id);
  const [rows, [total]] = await Promise.all([
    ctx.db.select().from(scheduleRuns).where(where).orderBy(desc(scheduleRuns.at), desc(scheduleRuns.id)).limit(input.limit).offset(input.offset),
    ctx.db.select({ n: count() }).from(scheduleRuns).where(where),
  ]);
  const runs = rows.map(toScheduleRun);
  return pageOf(seesAllDevices(input.principal) ? runs : await scopeRuns(ctx, input.principal, runs), total?.n ?? 0, input.offset);
}

async function scopeRuns(ctx: AppContext, principal: Principal, runs: ScheduleRun[]): Promise<ScheduleRun[]> {
  const ids = runs.flatMap((r) => r.requestIds);
  const reached = new Map<string, number>();
  const skippedIds = [...new Set(runs.flatMap((r) => r.skippedDevices.map((d) => d.deviceId)))];
  const visible = new Set<string>();
  if (skippedIds.length) {
    const rows = await ctx.db.select({ id: devices.id }).from(devices).where(and(anyId(devices.id, skippedIds), deviceScopeCondition(principal)));
    for (const r of rows) visible.add(r.id);
  }
  if (ids.length) {
    const rows = await ctx.db
      .select({ requestId: executions.requestId, n: count() })
      .from(executions)
      .innerJoin(devices, eq(devices.id, executions.deviceId))
      .where(and(anyId(executions.requestId, ids), deviceScopeCondition(principal)))
      .groupBy(executions.requestId);
    for (const r of rows) reached.set(r.requestId, r.n);
  }
  return runs.map((r) => {
    const requestIds = r.requestIds.filter((id) => reached.has(id));
    const skippedDevices = r.skippedDevices.filter((d) => visible.has(d.deviceId));
    return { ...r, matched: null, skipped: null, damped: null, skippedDevices, launched: requestIds.reduce((sum, id) => sum + reached.get(id)!, 0), requestIds };
  });
}
