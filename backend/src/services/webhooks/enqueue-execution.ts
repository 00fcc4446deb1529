import { randomUUID } from 'node:crypto';
import { eq, inArray, sql } from 'drizzle-orm';
import { isTerminal, type ExecutionEvent, type WebhookExecutionData, type WebhookPayload, type WebhookRequestData } from '@fixpoint/protocol';
import type { AppContext } from '../../context';
import { actions, actionVersions, devices, executions } from '../../db/schema';
import { enqueueWebhookEvents, insertDeliveries } from './enqueue-event';
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
  const rows = await ctx.db
    .select({
      requestId: executions.requestId,
      status: executions.status,
      actionSlug: sql<string>`min(${actions.slug})`,
      n: sql<number>`count(*)::int`,
      finishedAt: sql<string | null>`max(${executions.finishedAt})`,
    })
    .from(executions)
    .innerJoin(actions, eq(actions.id, executions.actionId))
    .where(inArray(executions.requestId, requestIds))
    .groupBy(executions.requestId, executions.status);
  const byRequest = new Map<string, typeof rows>();
  for (const row of rows) byRequest.set(row.requestId, [...(byRequest.get(row.requestId) ?? []), row]);
  const events = [...byRequest]
    .filter(([, groups]) => groups.every((g) => isTerminal(g.status)))
    .map(([requestId, groups]) => {
      const counts: WebhookRequestData['counts'] = Object.fromEntries(groups.map((g) => [g.status, g.n]));
      const last = Math.max(...groups.map((g) => (g.finishedAt ? new Date(g.finishedAt).getTime() : 0)));
      const data: WebhookRequestData = {
        requestId,
        actionSlug: groups[0]!.actionSlug,
        total: groups.reduce((sum, g) => sum + g.n, 0),
        counts,
        completedAt: last ? new Date(last).toISOString() : ctx.now().toISOString(),
      };
      return { event: 'request.completed' as const, key: requestId, data };
    });
  return events.length ? enqueueWebhookEvents(ctx, ctx.db, events) : 0;
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
  return insertDeliveries(ctx.db, rows, now.toISOString());
}
