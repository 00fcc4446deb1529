import { eq } from 'drizzle-orm';
import { defaultDamping, type Schedule, type ScheduleInput, type ScheduleUpdate } from '@fixpoint/protocol';
import type { AppContext } from '../../context';
import { schedules } from '../../db/schema';
import { can, type Principal } from '../identity/rights';
import { forbidden, invalid } from '../../errors';
import { appendAudit } from '../audit';
import { actionSummaries, checkAutomatedAction, maskSecrets, mayRun, ownerFor, parseDeviceTarget, resolveSavedTarget } from '../automation';
import { toSchedule, type ScheduleRow } from './convert';
import { loadSchedule } from './read';
import { firstRunAt } from './timing';

/** What the audit log keeps of a schedule: everything but secret parameter values. */
function auditDetails(row: ScheduleRow, slug: string, masked: Record<string, unknown>): Record<string, unknown> {
  const { name, target, savedQueryId, cron, intervalSec, timezone, spreadSec, damping, expirySec, enabled, retentionDays, ownerLabel, rollout, unstaged } = row;
  return {
    name, action: slug, parameters: masked, target, savedQueryId, cron, intervalSec, timezone, spreadSec, damping, expirySec, enabled, retentionDays,
    owner: ownerLabel, rollout, unstaged,
  };
}

/** A spread as long as the interval would overlap one firing's devices with the next's; 400 on `spreadSec`. */
function checkSpread(intervalSec: number | null, spreadSec: number): void {
  if (intervalSec !== null && spreadSec >= intervalSec)
    throw invalid(`spreadSec must be shorter than the interval (${intervalSec} s)`, [{ path: 'spreadSec', message: `must be shorter than the interval (${intervalSec} s)` }]);
}

/** The rollout columns for a saved `rollout`; going unstaged needs the right to, whatever the target's size. */
function rolloutColumns(principal: Principal, rollout: ScheduleInput['rollout']) {
  if (rollout === undefined) return {};
  if (rollout === null && !can(principal, 'actions:run_unstaged'))
    throw forbidden('a schedule without a staged rollout (rollout: null) needs the actions:run_unstaged permission');
  return { rollout, unstaged: rollout === null };
}

/** A parsed `ScheduleInput`; the fields added since its first version may be left out (their defaults apply). */
export type NewSchedule = Omit<ScheduleInput, Later> & Partial<Pick<ScheduleInput, Later>>;
type Later = 'savedQuery' | 'timezone' | 'spreadSec' | 'damping';

/**
 * Creates a schedule after checking its action (exists, allows the `schedule` trigger, parameters resolve), its
 * target query and its timing. The caller becomes its owner, so must be allowed to run the action (403 otherwise).
 * The first fire is computed from now.
 */
export async function createSchedule(ctx: AppContext, input: { principal: Principal; schedule: NewSchedule }): Promise<Schedule> {
  const s = { savedQuery: null, timezone: 'utc' as const, spreadSec: 0, damping: { ...defaultDamping }, ...input.schedule };
  const now = ctx.now();
  const action = await checkAutomatedAction(ctx, { action: s.action, parameters: s.parameters, trigger: 'schedule' });
  const owner = ownerFor(input.principal, mayRun(action.slug), 'schedule');
  parseDeviceTarget(s.target, now);
  const saved = s.savedQuery ? await resolveSavedTarget(ctx.db, s.savedQuery, now) : null;
  const timing = { cron: s.cron ?? null, intervalSec: s.intervalSec ?? null, timezone: s.timezone };
  const next = firstRunAt(timing, now);
  checkSpread(timing.intervalSec, s.spreadSec);
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(schedules)
      .values({
        name: s.name,
        description: s.description,
        actionId: action.actionId,
        parameters: s.parameters,
        expirySec: s.expirySec ?? null,
        target: s.target,
        savedQueryId: saved?.id ?? null,
        ...timing,
        spreadSec: s.spreadSec,
        damping: s.damping,
        enabled: s.enabled,
        nextRunAt: s.enabled ? next : null,
        retentionDays: s.retentionDays,
        ...rolloutColumns(input.principal, s.rollout),
        ...owner,
        createdBy: input.principal.label,
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    const masked = maskSecrets(row!.parameters, action.definition);
    await appendAudit(tx, { actor: input.principal.label, action: 'schedule.create', target: `schedule:${row!.id}`, details: auditDetails(row!, action.slug, masked) }, now);
    return toSchedule(row!, action, saved?.name);
  });
}

/**
 * Changes a schedule. Giving `cron` clears `intervalSec` and the reverse. A change of action or parameters is
 * checked again; a change of timing or of `enabled` recomputes the next fire from now. Any change but disabling
 * makes the caller the owner (403 unless it may run the action) and lifts a pause.
 */
export async function updateSchedule(
  ctx: AppContext,
  input: { principal: Principal; id: string; changes: ScheduleUpdate; auditAction?: string },
): Promise<Schedule> {
  const c = input.changes;
  const now = ctx.now();
  const before = await loadSchedule(ctx.db, input.id);
  const enabled = c.enabled ?? before.enabled;
  // Disabling or renaming must work even when the action has since been archived or changed its triggers.
  const recheck = c.action !== undefined || c.parameters !== undefined || (enabled && !before.enabled);
  const action = recheck
    ? await checkAutomatedAction(ctx, { action: c.action ?? before.actionId, parameters: c.parameters ?? before.parameters, trigger: 'schedule' })
    : { actionId: before.actionId, ...(await actionSummaries(ctx.db, [before.actionId])).get(before.actionId)! };
  // disabling only stops firing, so anyone who may edit schedules may do it without taking the schedule over
  const disablingOnly = Object.keys(c).every((k) => k === 'enabled') && !enabled;
  const owner = disablingOnly ? {} : { ...ownerFor(input.principal, mayRun(action.slug), 'schedule'), pausedReason: null, pausedAt: null };
  if (c.target !== undefined) parseDeviceTarget(c.target, now);
  const savedRef = c.savedQuery === undefined ? before.savedQueryId : c.savedQuery;
  const saved = savedRef ? await resolveSavedTarget(ctx.db, savedRef, now) : null;
  const timezone = c.timezone ?? before.timezone;
  let { cron, intervalSec } = before;
  if (c.cron !== undefined) [cron, intervalSec] = [c.cron, c.cron !== null && c.intervalSec === undefined ? null : intervalSec];
  if (c.intervalSec !== undefined) [intervalSec, cron] = [c.intervalSec, c.intervalSec !== null && c.cron === undefined ? null : cron];
  const retimed =
    cron !== before.cron || intervalSec !== before.intervalSec || timezone !== before.timezone || enabled !== before.enabled ||
    (!disablingOnly && before.pausedReason !== null);
  const next = firstRunAt({ cron, intervalSec, timezone }, now);
  checkSpread(intervalSec, c.spreadSec ?? before.spreadSec);

  return ctx.db.transaction(async (tx) => {
    await loadSchedule(tx, input.id, true);
    const set = {
      ...(c.name !== undefined && { name: c.name }),
      ...(c.description !== undefined && { description: c.description }),
      ...(c.target !== undefined && { target: c.target }),
      ...(c.parameters !== undefined && { parameters: c.parameters }),
      ...(c.expirySec !== undefined && { expirySec: c.expirySec }),
      ...(c.retentionDays !== undefined && { retentionDays: c.retentionDays }),
      ...(c.spreadSec !== undefined && { spreadSec: c.spreadSec }),
      ...(c.damping !== undefined && { damping: c.damping }),
      savedQueryId: saved?.id ?? null,
      timezone,
      ...rolloutColumns(input.principal, c.rollout),
      actionId: action.actionId,
      cron,
      intervalSec,
      enabled,
      ...owner,
      ...(retimed && { nextRunAt: enabled ? next : null }),
      updatedAt: now,
    };
    const [row] = await tx.update(schedules).set(set).where(eq(schedules.id, input.id)).returning();
    const details = { changed: Object.keys(c), ...auditDetails(row!, action.slug, maskSecrets(row!.parameters, action.definition)) };
    await appendAudit(tx, { actor: input.principal.label, action: input.auditAction ?? 'schedule.update', target: `schedule:${row!.id}`, details }, now);
    return toSchedule(row!, action, saved?.name);
  });
}

/** Enables (next fire computed from now) or disables (no next fire) a schedule. Idempotent. */
export async function setScheduleEnabled(ctx: AppContext, input: { principal: Principal; id: string; enabled: boolean }): Promise<Schedule> {
  const auditAction = input.enabled ? 'schedule.enable' : 'schedule.disable';
  return updateSchedule(ctx, { principal: input.principal, id: input.id, changes: { enabled: input.enabled }, auditAction });
}

/** Deletes a schedule and its run history; executions it launched stay. */
export async function deleteSchedule(ctx: AppContext, input: { principal: Principal; id: string }): Promise<void> {
  const now = ctx.now();
  await ctx.db.transaction(async (tx) => {
    const row = await loadSchedule(tx, input.id, true);
    await tx.delete(schedules).where(eq(schedules.id, input.id));
    await appendAudit(tx, { actor: input.principal.label, action: 'schedule.delete', target: `schedule:${row.id}`, details: { name: row.name } }, now);
  });
}
