import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { webhookTestEvent, type WebhookDelivery, type WebhookPayload } from '@fixpoint/protocol';
import type { AppContext } from '../../context';
import { webhookDeliveries } from '../../db/schema';
import { conflict, notFound } from '../../errors';
import { appendAudit } from '../audit';
import { toDelivery } from './convert';
import { loadWebhook } from './read';
import { notifyDeliveriesEnqueued } from './wakeups';

const disabled = () => conflict('the webhook is disabled; enable it first, or its deliveries wait');

/** Enqueues a `webhook.test` ping for one webhook, whatever events it subscribes to. */
export async function sendTestDelivery(ctx: AppContext, input: { actor: string; id: string }): Promise<WebhookDelivery> {
  const now = ctx.now();
  const delivery = await ctx.db.transaction(async (tx) => {
    const hook = await loadWebhook(tx, input.id);
    if (!hook.enabled) throw disabled();
    const payload: WebhookPayload = {
      id: randomUUID(),
      event: webhookTestEvent,
      at: now.toISOString(),
      data: { webhookId: hook.id, name: hook.name, message: 'Test delivery from Fixpoint' },
    };
    const [row] = await tx
      .insert(webhookDeliveries)
      .values({ webhookId: hook.id, event: webhookTestEvent, payload, nextAttemptAt: now, createdAt: now })
      .returning();
    await appendAudit(tx, { actor: input.actor, action: 'webhook.test', target: `webhook:${hook.id}`, details: { deliveryId: row!.id } }, now);
    return toDelivery(row!);
  });
  notifyDeliveriesEnqueued(ctx);
  return delivery;
}

export interface RedeliverInput {
  actor: string;
  webhookId: string;
  deliveryId: string;
}

/**
 * Sends a finished delivery again as a new delivery with the same payload (same event `id`, so receivers
 * can recognise the duplicate) and a fresh attempt budget. The original row stays as history.
 */
export async function redeliver(ctx: AppContext, input: RedeliverInput): Promise<WebhookDelivery> {
  const now = ctx.now();
  const delivery = await ctx.db.transaction(async (tx) => {
    const hook = await loadWebhook(tx, input.webhookId);
    const [original] = await tx
      .select()
      .from(webhookDeliveries)
      .where(and(eq(webhookDeliveries.id, input.deliveryId), eq(webhookDeliveries.webhookId, hook.id)));
    if (!original) throw notFound('delivery');
    if (original.status === 'pending') throw conflict('this delivery is still queued; wait for it to finish');
    if (!hook.enabled) throw disabled();
    const [row] = await tx
      .insert(webhookDeliveries)
      .values({ webhookId: hook.id, event: original.event, payload: original.payload, nextAttemptAt: now, createdAt: now })
      .returning();
    await appendAudit(
      tx,
      { actor: input.actor, action: 'webhook.redeliver', target: `webhook:${hook.id}`, details: { deliveryId: original.id, newDeliveryId: row!.id } },
      now,
    );
    return toDelivery(row!);
  });
  notifyDeliveriesEnqueued(ctx);
  return delivery;
}
