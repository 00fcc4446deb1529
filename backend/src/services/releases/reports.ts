/** @module What devices say about updates: stored, audited, and failing the device in the rollouts that sent it. */
import { count, desc, eq, and, inArray } from 'drizzle-orm';
import type { AgentUpdateStatus, UpdateReport } from '@fixpoint/protocol';
import type { AppContext } from '../../context';
import { agentRolloutDevices, agentRollouts, agentUpdateReports, devices } from '../../db/schema';
import { deviceScopeCondition } from '../devices/scope';
import type { Principal } from '../identity/rights';
import { appendAudit } from '../audit';
import { pageOf, type Page } from '../page';

type ReportRow = typeof agentUpdateReports.$inferSelect;

function toReport(row: ReportRow): UpdateReport {
  return {
    id: row.id,
    deviceId: row.deviceId,
    releaseId: row.releaseId,
    version: row.version,
    outcome: row.outcome,
    reason: (row.reason as UpdateReport['reason']) ?? null,
    message: row.message,
    at: row.at.toISOString(),
  };
}

/**
 * Stores a device's report and moves the device in the running rollouts of that version: a refusal or a rollback
 * fails it, with the reason (the runner then pauses the rollout); `updated`, which the new binary sends once it runs
 * as the service and has reconnected, counts it as back on the version. The connection a binary makes on trial
 * (see the agent's update/updater.ts) reports nothing, so it never moves a ring on.
 */
export async function recordUpdateReport(ctx: AppContext, deviceId: string, msg: AgentUpdateStatus): Promise<void> {
  const now = ctx.now();
  await ctx.db.transaction(async (tx) => {
    await tx.insert(agentUpdateReports).values({
      deviceId, releaseId: msg.releaseId, version: msg.version, outcome: msg.outcome, reason: msg.reason ?? null, message: msg.message, at: now,
    });
    const running = tx.select({ id: agentRollouts.id }).from(agentRollouts).where(and(eq(agentRollouts.state, 'running'), eq(agentRollouts.version, msg.version)));
    const detail = msg.outcome === 'updated' ? null : `${msg.outcome === 'refused' ? 'refused' : 'rolled back'}${msg.reason ? ` (${msg.reason})` : ''}: ${msg.message}`;
    await tx
      .update(agentRolloutDevices)
      .set({ state: msg.outcome === 'updated' ? 'updated' : 'failed', detail })
      .where(and(eq(agentRolloutDevices.deviceId, deviceId), inArray(agentRolloutDevices.state, ['sent', 'pending']), inArray(agentRolloutDevices.rolloutId, running)));
    await appendAudit(
      tx,
      { actor: `device:${deviceId}`, action: `agent_update.${msg.outcome}`, target: `device:${deviceId}`, details: { releaseId: msg.releaseId, version: msg.version, reason: msg.reason ?? null, message: msg.message } },
      now,
    );
  });
}

/** Reports of the devices in the caller's scope, newest first. */
export async function listUpdateReports(ctx: AppContext, principal: Principal, query: { limit: number; offset: number }): Promise<Page<UpdateReport>> {
  const scope = deviceScopeCondition(principal);
  const where = scope ? inArray(agentUpdateReports.deviceId, ctx.db.select({ id: devices.id }).from(devices).where(scope)) : undefined;
  const [rows, [total]] = await Promise.all([
    ctx.db.select().from(agentUpdateReports).where(where).orderBy(desc(agentUpdateReports.at)).limit(query.limit).offset(query.offset),
    ctx.db.select({ n: count() }).from(agentUpdateReports).where(where),
  ]);
  return pageOf(rows.map(toReport), total?.n ?? 0, query.offset);
}
