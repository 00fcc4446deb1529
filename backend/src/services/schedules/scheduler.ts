/**
 * @module The scheduler: claims due schedules, launches their action on the devices their target matches, and
 * records each firing in the run history. On PostgreSQL several instances run it side by side: a due schedule is
 * claimed with `FOR UPDATE SKIP LOCKED` and its next fire is moved forward in the same transaction, so exactly one
 * instance fires it.
 */
import { and, asc, eq, inArray, lte, sql } from 'drizzle-orm';
import { limits, type ExecutionStatus, type SkippedDevice, type WebhookScheduleFailedData } from '@fixpoint/protocol';
import type { AppContext } from '../../context';
import { anyId } from '../../db/any-id';
import { devices as deviceTable, executions, scheduleRuns, schedules } from '../../db/schema';
import { appendAudit } from '../audit';
import { runCampaignSchedules } from '../campaigns';
import { deviceScopeCondition } from '../devices/scope';
import { launchExecutions } from '../executions';
import { enqueueWebhookEvents } from '../webhooks';
import { actAsOwner, loadAutomatedAction, matchDevicePages, mayRun, ownerOf, parseDeviceTarget, savedTargetCondition } from '../automation';
import type { ScheduleRow } from './convert';
import { dampedDevices, type Damped } from './damping';
import { holdSec, holdsEnvelopes, notBeforeFor } from './holds';
import { nextRunAt } from './timing';

/** Damped devices a run lists by name; the rest are only counted. */
const maxListedSkips = 100;

interface Claimed {
  schedule: ScheduleRow;
  runId: string;
  dueAt: Date;
}

/** Claims up to `batch` due schedules: moves their next fire past now and opens a run record for each. */
async function claimDue(ctx: AppContext, now: Date, batch: number): Promise<Claimed[]> {
  return ctx.db.transaction(async (tx) => {
    const due = await tx
      .select()
      .from(schedules)
      .where(and(eq(schedules.enabled, true), lte(schedules.nextRunAt, now)))
      .orderBy(asc(schedules.nextRunAt))
      .limit(batch)
      .for('update', { skipLocked: true });
    const claimed: Claimed[] = [];
    for (const schedule of due) {
      const dueAt = schedule.nextRunAt!;
      let next: Date | null = null;
      try {
        next = nextRunAt(schedule, now, dueAt);
      } catch (error) {
        // saved expressions were checked; an unreadable one stops rather than firing in a loop
        ctx.log.error('schedule has an unusable timing', { schedule: schedule.id, error: String(error) });
      }
      await tx.update(schedules).set({ nextRunAt: next, lastRunAt: now }).where(eq(schedules.id, schedule.id));
      const [run] = await tx.insert(scheduleRuns).values({ scheduleId: schedule.id, at: now }).returning({ id: scheduleRuns.id });
      claimed.push({ schedule: { ...schedule, lastRunAt: now, nextRunAt: next }, runId: run!.id, dueAt });
    }
    return claimed;
  });
}

/**
 * Fires one claimed schedule with its owner's rights as they are now: the target (narrowed to its saved query, read
 * now) is ANDed with the owner's device scope, and an owner that is gone or may no longer run the action pauses the
 * schedule instead of launching. Then it launches, page by page, to the devices that have a script for their
 * platform, no earlier run of this schedule still pending (offline devices otherwise pile up one queued execution per
 * firing) and are not damped for failing. Offline devices get queued executions, delivered when they return, within
 * the expiry; a schedule that spreads or runs in device time signs each device's hold into its envelope and
 * lengthens the expiry by the longest hold. Any failure is recorded on the run; nothing throws.
 */
async function fire(ctx: AppContext, { schedule, runId, dueAt }: Claimed): Promise<void> {
  const label = `schedule:${schedule.id}`;
  let matched = 0;
  let launched = 0;
  let skipped = 0;
  const requestIds: string[] = [];
  const dampedHere: [string, Damped][] = [];
  let error: string | null = null;
  try {
    const action = await loadAutomatedAction(ctx, schedule.actionId);
    const acting = await actAsOwner(ctx, label, ownerOf(schedule), mayRun(action.slug));
    if (!acting.ok) {
      await pauseSchedule(ctx, schedule, acting.reason);
      error = `not launched, paused: ${acting.reason}`;
    } else {
      const now = ctx.now();
      const target = parseDeviceTarget(schedule.target, now);
      const scope = and(deviceScopeCondition(acting.principal), await savedTargetCondition(ctx.db, schedule.savedQueryId, now));
      const pending = await pendingDevices(ctx, label, holdsEnvelopes(schedule));
      const damped = schedule.damping ? await dampedDevices(ctx, label, schedule.damping, now) : new Map<string, Damped>();
      const notBefore = notBeforeFor(schedule, dueAt);
      const extraSec = holdSec(schedule);
      const baseSec = schedule.expirySec ?? action.definition.expirySec ?? limits.defaultExpirySec;
      const expirySec = extraSec > 0 ? Math.min(baseSec + extraSec, limits.maxExpirySec) : schedule.expirySec;
      let page = 0;
      for await (const devices of matchDevicePages(ctx, target, { scope })) {
        matched += devices.length;
        const runnable: string[] = [];
        for (const d of devices) {
          if (!action.platforms.has(d.platform) || pending.has(d.id)) continue;
          const skip = damped.get(d.id);
          if (skip) dampedHere.push([d.id, skip]);
          else runnable.push(d.id);
        }
        skipped += devices.length - runnable.length;
        if (!runnable.length) continue;
        const result = await launchExecutions(ctx, {
          principal: acting.principal,
          trigger: 'schedule',
          // the due time names the firing: a second claim of the same firing would replay, not launch again
          idempotencyKey: `${dueAt.toISOString()}#${page++}`,
          notBefore,
          request: {
            action: action.actionId,
            devices: runnable,
            parameters: schedule.parameters,
            triggerInfo: { reason: `schedule ${schedule.name}`.slice(0, 2000) },
            ...(expirySec !== null && { expirySec }),
            // omitted: the default rollout above the threshold
            ...(schedule.unstaged ? { rollout: null } : schedule.rollout && { rollout: schedule.rollout }),
          },
        });
        launched += result.response.executions.length;
        requestIds.push(result.response.requestId);
      }
    }
  } catch (e) {
    error = e instanceof Error ? e.message : String(e);
    ctx.log.warn('schedule run failed', { schedule: schedule.id, error });
  }
  const skippedDevices = await describeSkips(ctx, dampedHere.slice(0, maxListedSkips)).catch(() => []);
  await ctx.db
    .update(scheduleRuns)
    .set({ matched, launched, skipped, requestIds, error, damped: dampedHere.length, skippedDevices })
    .where(eq(scheduleRuns.id, runId));
  if (error === null) return;
  const data: WebhookScheduleFailedData = { scheduleId: schedule.id, name: schedule.name, runId, dueAt: dueAt.toISOString(), error, matched, launched };
  await enqueueWebhookEvents(ctx, ctx.db, [{ event: 'schedule.failed', key: runId, data }]).catch((e: unknown) =>
    ctx.log.error('webhooks: enqueueing schedule.failed failed', { schedule: schedule.id, error: String(e) }),
  );
}

/** Damped devices as the run shows them: with their names. */
async function describeSkips(ctx: AppContext, damped: readonly [string, Damped][]): Promise<SkippedDevice[]> {
  if (!damped.length) return [];
  const rows = await ctx.db
    .select({ id: deviceTable.id, name: deviceTable.name })
    .from(deviceTable)
    .where(anyId(deviceTable.id, damped.map(([id]) => id)));
  const names = new Map(rows.map((r) => [r.id, r.name]));
  return damped.map(([deviceId, d]) => ({ deviceId, deviceName: names.get(deviceId) ?? '', reason: 'failing', failures: d.failures, until: d.until.toISOString() }));
}

/** Stops a schedule whose owner lost the right it fires with; saving it again (by someone who has it) resumes it. */
async function pauseSchedule(ctx: AppContext, schedule: ScheduleRow, reason: string): Promise<void> {
  const now = ctx.now();
  await ctx.db.transaction(async (tx) => {
    await tx.update(schedules).set({ pausedReason: reason, pausedAt: now, nextRunAt: null }).where(eq(schedules.id, schedule.id));
    await appendAudit(tx, { actor: `schedule:${schedule.id}`, action: 'schedule.pause', target: `schedule:${schedule.id}`, details: { name: schedule.name, owner: schedule.ownerLabel, reason } }, now);
  });
  ctx.log.warn('schedule paused', { schedule: schedule.id, reason });
}

/**
 * Devices with an execution of this schedule not yet finished. When the schedule holds envelopes on the devices, a
 * delivered one is waiting for its time, not stuck: a device in a late time zone still holds yesterday's run when
 * today's firing comes, and must get today's too.
 */
async function pendingDevices(ctx: AppContext, label: string, holding: boolean): Promise<Set<string>> {
  const statuses: ExecutionStatus[] = holding ? ['held', 'queued', 'running'] : ['held', 'queued', 'delivered', 'running'];
  const rows = await ctx.db
    .selectDistinct({ deviceId: executions.deviceId })
    .from(executions)
    .where(and(inArray(executions.status, statuses), eq(executions.requestedBy, label)));
  return new Set(rows.map((r) => r.deviceId));
}

/** Deletes run records older than their schedule's retention; returns how many. */
async function pruneScheduleRuns(ctx: AppContext): Promise<number> {
  const now = ctx.now().toISOString();
  const expired = ctx.db
    .select({ id: scheduleRuns.id })
    .from(scheduleRuns)
    .innerJoin(schedules, eq(schedules.id, scheduleRuns.scheduleId))
    .where(sql`${scheduleRuns.at} < ${now}::timestamptz - ${schedules.retentionDays} * interval '1 day'`);
  const deleted = await ctx.db.delete(scheduleRuns).where(inArray(scheduleRuns.id, expired)).returning({ id: scheduleRuns.id });
  return deleted.length;
}

/** Claims and fires every due schedule, in batches; returns how many fired. */
export async function runDueSchedules(ctx: AppContext, batch = 20): Promise<number> {
  let total = 0;
  for (;;) {
    const claimed = await claimDue(ctx, ctx.now(), batch);
    for (const c of claimed) await fire(ctx, c);
    total += claimed.length;
    if (claimed.length < batch) return total;
  }
}

export interface SchedulerOptions {
  /** How often to look for due schedules; default 5000 ms (cron has minute resolution). */
  pollMs?: number;
  /** Set false to fire only through `tick()` (tests with a hand-moved clock); default true. */
  background?: boolean;
  /** How often (by the context clock) to prune run history; default one minute. */
  pruneEveryMs?: number;
}

export interface Scheduler {
  /** Fires what is due now and prunes history when it is time; resolves to the number of schedules fired. */
  tick(): Promise<number>;
  /** Stops the timer and waits for a tick in progress. */
  stop(): Promise<void>;
}

/** Starts the scheduler (schedules, then campaign schedules) on an unref'd timer, so it never keeps the process alive. */
export function startScheduler(ctx: AppContext, options: SchedulerOptions = {}): Scheduler {
  const pruneEveryMs = options.pruneEveryMs ?? 60_000;
  let lastPrune = -Infinity;
  let running: Promise<number> | null = null;
  let stopped = false;

  const once = async (): Promise<number> => {
    const fired = await runDueSchedules(ctx);
    await runCampaignSchedules(ctx);
    const now = ctx.now().getTime();
    if (now - lastPrune >= pruneEveryMs) {
      lastPrune = now;
      await pruneScheduleRuns(ctx);
    }
    return fired;
  };
  // Ticks never overlap within one instance; a tick asked for during another waits for it, then runs.
  const tick = async (): Promise<number> => {
    while (running) await running.catch(() => 0);
    running = once().finally(() => (running = null));
    return running;
  };

  const timer = options.background === false ? undefined : setInterval(() => {
    if (stopped || running) return;
    tick().catch((error: unknown) => ctx.log.error('scheduler tick failed', { error: String(error) }));
  }, options.pollMs ?? 5000);
  timer?.unref();

  return {
    tick,
    async stop() {
      stopped = true;
      clearInterval(timer);
      while (running) await running.catch(() => 0);
    },
  };
}
