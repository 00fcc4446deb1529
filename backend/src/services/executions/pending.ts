import { and, asc, eq, gt, inArray, lt, or, type SQL } from 'drizzle-orm';
import { Id, type Envelope, type ExecutionStatus } from '@fixpoint/protocol';
import type { AppContext } from '../../context';
import { anyId } from '../../db/any-id';
import { devices, executions } from '../../db/schema';
import { envelopeColumns, envelopesFromRows } from './envelope';

/** One piece of work a device should have, with the signed envelope to send it. */
export interface PendingExecution {
  executionId: string;
  seq: number;
  status: ExecutionStatus;
  envelope: Envelope;
}

/** Executions a device should hold: queued or delivered and not expired, or running. */
export function unfinished(now: Date): SQL {
  return or(and(inArray(executions.status, ['queued', 'delivered']), gt(executions.expiresAt, now)), eq(executions.status, 'running'))!;
}

/**
 * What each device should hold, in delivery (`seq`) order: queued and delivered executions that have not expired,
 * and running ones (a reconnecting agent's journal tells it whether it already ran them). One query for all devices,
 * so a fan-out to thousands of devices does not pay a round trip each.
 */
export async function pendingForDevices(ctx: AppContext, deviceIds: readonly string[]): Promise<Map<string, PendingExecution[]>> {
  const ids = [...new Set(deviceIds)].filter((id) => Id.safeParse(id).success);
  const out = new Map<string, PendingExecution[]>();
  if (!ids.length) return out;
  const rows = await ctx.db
    .select(envelopeColumns)
    .from(executions)
    .innerJoin(devices, eq(devices.id, executions.deviceId))
    .where(and(anyId(executions.deviceId, ids), unfinished(ctx.now())))
    .orderBy(asc(executions.seq));
  const envelopes = await envelopesFromRows(ctx, rows);
  for (const row of rows) {
    const envelope = envelopes.get(row.id);
    if (!envelope) continue;
    let list = out.get(row.deviceId);
    if (!list) out.set(row.deviceId, (list = []));
    list.push({ executionId: row.id, seq: row.seq, status: row.status, envelope });
  }
  return out;
}

/** What a (re)connecting agent pulls: its unfinished, unexpired executions in `seq` order. */
export async function pendingForDevice(ctx: AppContext, deviceId: string): Promise<PendingExecution[]> {
  return (await pendingForDevices(ctx, [deviceId])).get(deviceId) ?? [];
}

/**
 * Queued (never delivered) executions of these devices created before `before`, as `{ deviceId, id }` pairs: what the
 * channel's sweep compares with what it sent, to catch work whose push was lost. Reads ids only, no envelopes.
 */
export async function queuedBefore(ctx: AppContext, deviceIds: readonly string[], before: Date): Promise<{ deviceId: string; id: string }[]> {
  const ids = [...new Set(deviceIds)].filter((id) => Id.safeParse(id).success);
  if (!ids.length) return [];
  return ctx.db
    .select({ deviceId: executions.deviceId, id: executions.id })
    .from(executions)
    .where(and(anyId(executions.deviceId, ids), eq(executions.status, 'queued'), gt(executions.expiresAt, ctx.now()), lt(executions.createdAt, before)));
}
