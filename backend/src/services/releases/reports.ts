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
 * Stores a device's report. A refusal or a rollback fails the device in every running rollout that sent it an
 * update, with the reason, so the runner pauses the rollout on its next turn; `updated` needs no action here (the
 * runner sees the device back on the version).
 */
export async function recordUpdateReport(ctx: AppContext, deviceId: string, msg: AgentUpdateStatus): Promise<void> {
  const now = ctx.now();
  await ctx.db.transaction(async (tx) => {
    await tx.insert(agentUpdateReports).values({
      deviceId, releaseId: msg.releaseId, version: msg.version, outcome: msg.outcome, reason: msg.reason ?? null, message: msg.message, at: now,
    });
    if (msg.outcome !== 'updated') {
      const running = tx.select({ id: agentRollouts.id }).from(agentRollouts).where(and(eq(agentRollouts.state, 'running'), eq(agentRollouts.version, msg.version)));
      await tx
        .update(agentRolloutDevices)
        .set({ state: 'failed', detail: `${msg.outcome === 'refused' ? 'refused' : 'rolled back'}${msg.reason ? ` (${msg.reason})` : ''}: ${msg.message}` })
        .where(and(eq(agentRolloutDevices.deviceId, deviceId), inArray(agentRolloutDevices.state, ['sent', 'pending']), inArray(agentRolloutDevices.rolloutId, running)));
    }
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
