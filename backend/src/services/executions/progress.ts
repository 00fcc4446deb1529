import { and, eq, inArray, sql } from 'drizzle-orm';
import type { ExecutionStatus } from '@fixpoint/protocol';
import type { AppContext } from '../../context';
import { executions } from '../../db/schema';
import { allowedFrom, publishStatus } from './transition';

/** A device saying it received (`delivered`) or started (`running`) an execution. */
export interface ProgressReport {
  executionId: string;
  deviceId: string;
  status: 'delivered' | 'running';
  at: Date;
}

export interface ProgressOutcome {
  /** Executions that moved, with the status they reached. */
  applied: { id: string; deviceId: string; status: ExecutionStatus }[];
  /** Reports that changed nothing (a repeat, a finished execution, another device's execution). */
  ignored: ProgressReport[];
}

const rows = 2000;
const fromSql = (to: 'delivered' | 'running') => sql.join(allowedFrom(to).map((s) => sql`${s}`), sql`, `);

/**
 * Records many delivered/running reports with one UPDATE per chunk, under the same rules as `transitionExecution`
 * (only forward, only the reporting device's executions, `deliveredAt` kept from the first report), and publishes
 * an event per change. Reports about the same execution are merged first: the furthest status wins, the earliest
 * time becomes `deliveredAt`.
 */
export async function recordProgress(ctx: AppContext, reports: readonly ProgressReport[]): Promise<ProgressOutcome> {
  const merged = new Map<string, { id: string; deviceId: string; to: 'delivered' | 'running'; deliveredAt: string; startedAt: string | null }>();
  for (const r of reports) {
    const key = `${r.executionId}/${r.deviceId}`;
    const at = r.at.toISOString();
    const prior = merged.get(key);
    if (!prior) {
      merged.set(key, { id: r.executionId, deviceId: r.deviceId, to: r.status, deliveredAt: at, startedAt: r.status === 'running' ? at : null });
      continue;
    }
    if (at < prior.deliveredAt) prior.deliveredAt = at;
    if (r.status === 'running') Object.assign(prior, { to: 'running', startedAt: prior.startedAt && prior.startedAt > at ? prior.startedAt : at });
  }
  const list = [...merged.values()].sort((a, b) => (a.id < b.id ? -1 : 1));
  const applied: ProgressOutcome['applied'] = [];
  for (let i = 0; i < list.length; i += rows) {
    const part = list.slice(i, i + rows);
    const changed = await ctx.db
      .update(executions)
      .set({
        status: sql`v."to"`,
        deliveredAt: sql`coalesce(${executions.deliveredAt}, v."deliveredAt")`,
        startedAt: sql`case when v."to" = 'running' then v."startedAt" else ${executions.startedAt} end`,
      })
      .from(sql`jsonb_to_recordset(${JSON.stringify(part)}::jsonb) as v(id uuid, "deviceId" uuid, "to" text, "deliveredAt" timestamptz, "startedAt" timestamptz)`)
      .where(
        sql`${executions.id} = v.id and ${executions.deviceId} = v."deviceId" and (
          (v."to" = 'delivered' and ${executions.status} in (${fromSql('delivered')})) or
          (v."to" = 'running' and ${executions.status} in (${fromSql('running')})))`,
      )
      .returning({ id: executions.id, requestId: executions.requestId, deviceId: executions.deviceId, status: executions.status });
    const byKey = new Map(part.map((p) => [`${p.id}/${p.deviceId}`, p]));
    for (const row of changed) {
      const report = byKey.get(`${row.id}/${row.deviceId}`)!;
      applied.push({ id: row.id, deviceId: row.deviceId, status: row.status });
      publishStatus(ctx, row, new Date(report.startedAt ?? report.deliveredAt));
    }
  }
  const done = new Set(applied.map((a) => a.id));
  return { applied, ignored: reports.filter((r) => !done.has(r.executionId)) };
}

/** The current status of a device's executions, for the rare reports that changed nothing. Unknown ids are left out. */
export async function executionStatusesOf(ctx: AppContext, deviceId: string, executionIds: readonly string[]): Promise<Map<string, ExecutionStatus>> {
  const ids = [...new Set(executionIds)];
  if (!ids.length) return new Map();
  const found = await ctx.db
    .select({ id: executions.id, status: executions.status })
    .from(executions)
    .where(and(eq(executions.deviceId, deviceId), inArray(executions.id, ids)));
  return new Map(found.map((r) => [r.id, r.status]));
}
