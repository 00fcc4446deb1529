import { randomUUID } from 'node:crypto';
import { eq, inArray, sql } from 'drizzle-orm';
import { isTerminal, terminalStatuses, type ExecutionEvent, type WebhookExecutionData, type WebhookPayload, type WebhookRequestData } from '@fixpoint/protocol';
import type { AppContext } from '../../context';
import { actions, actionVersions, devices, executions, webhookDeliveries, webhooks } from '../../db/schema';
import { enqueueWebhookEvents } from './enqueue-event';
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
 * Then `request.completed` for each request of these events whose executions have all ended. Returns how many
 * deliveries were enqueued.
 */
export async function enqueueExecutionEvents(ctx: AppContext, events: readonly ExecutionEvent[]): Promise<number> {
  const subscribed = await subscribedEvents(ctx);
  const terminal = events.filter((e) => isTerminal(e.status));
  const ids = [...new Set(terminal.filter((e) => subscribed.has(`execution.${e.status}`)).map((e) => e.id))];
  let enqueued = 0;
  for (let i = 0; i < ids.length; i += chunkSize) enqueued += await enqueueChunk(ctx, ids.slice(i, i + chunkSize));
  if (enqueued) notifyDeliveriesEnqueued(ctx);
  if (subscribed.has('request.completed')) {
    const requestIds = [...new Set(terminal.map((e) => e.requestId))];
    for (let i = 0; i < requestIds.length; i += chunkSize) enqueued += await enqueueCompleted(ctx, requestIds.slice(i, i + chunkSize));
  }
  return enqueued;
}

/** `request.completed` for each of these requests with no execution left to end (a held or queued one keeps it open). */
async function enqueueCompleted(ctx: AppContext, requestIds: string[]): Promise<number> {
  const terminalList = sql.join(
    terminalStatuses.map((s) => sql`${s}`),
    sql`, `,
  );
  const rows = await ctx.db
    .select({
      requestId: executions.requestId,
      actionSlug: sql<string>`min(${actions.slug})`,
      total: sql<number>`count(*)::int`,
      open: sql<number>`count(*) filter (where ${executions.status} not in (${terminalList}))::int`,
      completedAt: sql<string>`max(${executions.finishedAt})`,
    })
    .from(executions)
    .innerJoin(actions, eq(actions.id, executions.actionId))
    .where(inArray(executions.requestId, requestIds))
    .groupBy(executions.requestId);
  const done = rows.filter((r) => r.open === 0);
  if (!done.length) return 0;
  const perStatus = await ctx.db
    .select({ requestId: executions.requestId, status: executions.status, n: sql<number>`count(*)::int` })
    .from(executions)
    .where(inArray(executions.requestId, done.map((r) => r.requestId)))
    .groupBy(executions.requestId, executions.status);
  return enqueueWebhookEvents(
    ctx,
    ctx.db,
    done.map((r) => {
      const counts: WebhookRequestData['counts'] = Object.fromEntries(perStatus.filter((p) => p.requestId === r.requestId).map((p) => [p.status, p.n]));
      const completedAt = r.completedAt ? new Date(r.completedAt).toISOString() : ctx.now().toISOString();
      const data: WebhookRequestData = { requestId: r.requestId, actionSlug: r.actionSlug, total: r.total, counts, completedAt };
      return { event: 'request.completed' as const, key: r.requestId, data };
    }),
  );
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
