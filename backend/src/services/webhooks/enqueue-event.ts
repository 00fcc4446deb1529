/**
 * @module Enqueuing the events that are not execution results (`request.completed`, `campaign.responded`,
 * `detection.paused`, `schedule.failed`): one delivery per enabled webhook subscribed to the event, written in the
 * caller's transaction when it passes one, so the event exists exactly when the change it reports committed. The
 * dedupe key makes a second enqueue of the same event (a retry, another instance) a no-op.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { WebhookEvent, WebhookPayload } from '@fixpoint/protocol';
import type { AppContext } from '../../context';
import type { Db, Tx } from '../../db';
import { rowsOf } from '../../db/rows';
import { webhookDeliveries, webhooks } from '../../db/schema';
import { subscribedEvents } from './subscriptions';
import { notifyDeliveriesEnqueued } from './wakeups';

export interface WebhookEventInput {
  event: Exclude<WebhookEvent, `execution.${string}`>;
  /** Names the event once: the same key is never delivered twice to one webhook. */
  key: string;
  data: Record<string, unknown>;
}

/** True when an enabled webhook subscribes to the event (cached): lets a caller skip building the event's data. */
export async function isSubscribed(ctx: AppContext, db: Db | Tx, event: WebhookEvent): Promise<boolean> {
  return (await subscribedEvents(ctx, db)).has(event);
}

/** Enqueues the events in `db` (a transaction, or the pool); returns how many deliveries were written. */
export async function enqueueWebhookEvents(ctx: AppContext, db: Db | Tx, events: readonly WebhookEventInput[]): Promise<number> {
  const subscribed = await subscribedEvents(ctx, db);
  const wanted = events.filter((e) => subscribed.has(e.event));
  if (!wanted.length) return 0;
  const at = ctx.now().toISOString();
  const rows = wanted.map((e) => {
    const payload: WebhookPayload = { id: randomUUID(), event: e.event, at, data: e.data };
    return { event: e.event, payload, dedupe_key: `${e.event}:${e.key}` };
  });
  const written = await insertDeliveries(db, rows, at);
  // wakes the dispatcher after this turn; a delivery whose transaction commits later goes at its next poll (1 s)
  if (written) setImmediate(() => notifyDeliveriesEnqueued(ctx));
  return written;
}

export interface DeliveryRow {
  event: WebhookPayload['event'];
  payload: WebhookPayload;
  dedupe_key: string;
}

/**
 * One INSERT … SELECT: a pending delivery of each row to every enabled webhook subscribed to its event; a dedupe key
 * already delivered to a webhook is skipped. Returns how many deliveries were written.
 */
export async function insertDeliveries(db: Db | Tx, rows: readonly DeliveryRow[], at: string): Promise<number> {
  const result = await db.execute(
    sql`insert into ${webhookDeliveries} (webhook_id, event, payload, dedupe_key, status, next_attempt_at, created_at)
        select w.id, e.event, e.payload, e.dedupe_key, 'pending', ${at}::timestamptz, ${at}::timestamptz
        from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as e(event text, payload jsonb, dedupe_key text)
        join ${webhooks} w on w.enabled and w.events @> jsonb_build_array(e.event)
        on conflict (webhook_id, dedupe_key) do nothing
        returning 1`,
  );
  return rowsOf(result).length;
}
