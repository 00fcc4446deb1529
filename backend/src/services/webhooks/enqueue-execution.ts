import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { isTerminal, type ExecutionEvent, type WebhookExecutionData, type WebhookPayload } from '@fixpoint/protocol';
import type { AppContext } from '../../context';
import { actions, actionVersions, devices, executions, webhookDeliveries, webhooks } from '../../db/schema';
import { notifyDeliveriesEnqueued } from './wakeups';

const iso = (d: Date | null) => d?.toISOString() ?? null;

/**
 * The `data` of an execution event, read from the stored execution. Parameters and output tails are left out on
 * purpose: they may hold personal data or secrets, and receivers can fetch them through the API with their own rights.
 */
export async function loadExecutionData(ctx: AppContext, executionId: string): Promise<WebhookExecutionData | null> {
  const [row] = await ctx.db
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
    .where(eq(executions.id, executionId));
  if (!row) return null;
  return {
    ...row,
    expiresAt: row.expiresAt.toISOString(),
    createdAt: row.createdAt.toISOString(),
    deliveredAt: iso(row.deliveredAt),
    startedAt: iso(row.startedAt),
    finishedAt: iso(row.finishedAt),
  };
}

/**
 * Enqueues one delivery per enabled webhook subscribed to `execution.<status>`, in one statement.
 * The stored row decides the status (the event only says where to look), and the dedupe key makes a second
 * publication of the same terminal event, on this or another instance, a no-op. Returns how many were enqueued.
 */
export async function enqueueExecutionEvent(ctx: AppContext, event: ExecutionEvent): Promise<number> {
  if (!isTerminal(event.status)) return 0;
  const data = await loadExecutionData(ctx, event.id);
  if (!data) {
    ctx.log.warn('webhooks: terminal event for an unknown execution', { executionId: event.id });
    return 0;
  }
  if (!isTerminal(data.status)) return 0;
  const name = `execution.${data.status}`;
  const now = ctx.now();
  const payload: WebhookPayload = { id: randomUUID(), event: name as WebhookPayload['event'], at: now.toISOString(), data };
  const rows = await ctx.db
    .execute(
      sql`insert into ${webhookDeliveries} (webhook_id, event, payload, dedupe_key, status, next_attempt_at, created_at)
          select w.id, ${name}, ${JSON.stringify(payload)}::jsonb, ${`${name}:${data.id}`}, 'pending',
                 ${now.toISOString()}::timestamptz, ${now.toISOString()}::timestamptz
          from ${webhooks} w
          where w.enabled and w.events @> ${JSON.stringify([name])}::jsonb
          on conflict (webhook_id, dedupe_key) do nothing
          returning id`,
    )
    .then(rowsOf);
  if (rows.length) notifyDeliveriesEnqueued(ctx);
  return rows.length;
}

/** `db.execute` returns an array on postgres-js and `{ rows }` on PGlite. */
function rowsOf(result: unknown): unknown[] {
  return Array.isArray(result) ? result : ((result as { rows?: unknown[] }).rows ?? []);
}
