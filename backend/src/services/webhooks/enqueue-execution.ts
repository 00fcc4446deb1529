import { randomUUID } from 'node:crypto';
import { eq, inArray, sql } from 'drizzle-orm';
import { isTerminal, type ExecutionEvent, type WebhookExecutionData, type WebhookPayload } from '@fixpoint/protocol';
import type { AppContext } from '../../context';
import { actions, actionVersions, devices, executions, webhookDeliveries, webhooks } from '../../db/schema';
import { subscribedEvents } from './subscriptions';
import { notifyDeliveriesEnqueued } from './wakeups';

const iso = (d: Date | null) => d?.toISOString() ?? null;
const chunkSize = 500;

/**
 * The `data` of execution events, read from the stored executions. Parameters and output tails are left out on
 * purpose: they may hold personal data or secrets, and receivers can fetch them through the API with their own rights.
 */
export async function loadExecutionData(ctx: AppContext, ids: readonly string[]): Promise<WebhookExecutionData[]> {
  if (!ids.length) return [];
  const rows = await ctx.db
    .select({
      id: executions.id,
      requestId: executions.requestId,
      deviceId: executions.deviceId,
      deviceName: devices.name,
      actionId: executions.actionId,
      actionSlug: actions.slug,
      actionVersion: actionVersions.version,
      status: executions.status,
      trigger: executions.trigger,
      triggerInfo: executions.triggerInfo,
      exitCode: executions.exitCode,
      error: executions.error,
      outputs: executions.outputs,
      expiresAt: executions.expiresAt,
      createdAt: executions.createdAt,
      deliveredAt: executions.deliveredAt,
      startedAt: executions.startedAt,
      finishedAt: executions.finishedAt,
    })
    .from(executions)
    .innerJoin(devices, eq(devices.id, executions.deviceId))
    .innerJoin(actions, eq(actions.id, executions.actionId))
    .innerJoin(actionVersions, eq(actionVersions.id, executions.actionVersionId))
    .where(inArray(executions.id, [...ids]));
  return rows.map((row) => ({
    ...row,
    expiresAt: row.expiresAt.toISOString(),
    createdAt: row.createdAt.toISOString(),
    deliveredAt: iso(row.deliveredAt),
    startedAt: iso(row.startedAt),
    finishedAt: iso(row.finishedAt),
  }));
}

/**
 * Enqueues, for each terminal event, one delivery per enabled webhook subscribed to `execution.<status>`: one read
 * and one INSERT … SELECT per batch of events. The stored row decides the status (the event only says where to look),
 * and the dedupe key makes a second publication of the same terminal event, on this or another instance, a no-op.
 * Returns how many deliveries were enqueued.
 */
export async function enqueueExecutionEvents(ctx: AppContext, events: readonly ExecutionEvent[]): Promise<number> {
  const subscribed = await subscribedEvents(ctx);
  const ids = [...new Set(events.filter((e) => isTerminal(e.status) && subscribed.has(`execution.${e.status}`)).map((e) => e.id))];
  let enqueued = 0;
  for (let i = 0; i < ids.length; i += chunkSize) enqueued += await enqueueChunk(ctx, ids.slice(i, i + chunkSize));
  if (enqueued) notifyDeliveriesEnqueued(ctx);
  return enqueued;
}

async function enqueueChunk(ctx: AppContext, ids: string[]): Promise<number> {
  const found = await loadExecutionData(ctx, ids);
  if (found.length < ids.length) {
    const missing = ids.filter((id) => !found.some((f) => f.id === id));
    ctx.log.warn('webhooks: terminal event for an unknown execution', { executionIds: missing.slice(0, 10) });
  }
  const now = ctx.now();
  const rows = found
    .filter((data) => isTerminal(data.status))
    .map((data) => {
      const event = `execution.${data.status}` as WebhookPayload['event'];
      const payload: WebhookPayload = { id: randomUUID(), event, at: now.toISOString(), data };
      return { event, payload, dedupe_key: `${event}:${data.id}` };
    });
  if (!rows.length) return 0;
  const at = now.toISOString();
  const result = await ctx.db.execute(
    sql`insert into ${webhookDeliveries} (webhook_id, event, payload, dedupe_key, status, next_attempt_at, created_at)
        select w.id, e.event, e.payload, e.dedupe_key, 'pending', ${at}::timestamptz, ${at}::timestamptz
        from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as e(event text, payload jsonb, dedupe_key text)
        join ${webhooks} w on w.enabled and w.events @> jsonb_build_array(e.event)
        on conflict (webhook_id, dedupe_key) do nothing
        returning 1`,
  );
  return rowsOf(result).length;
}

/** `db.execute` returns an array on postgres-js and `{ rows }` on PGlite. */
function rowsOf(result: unknown): unknown[] {
  return Array.isArray(result) ? result : ((result as { rows?: unknown[] }).rows ?? []);
}
