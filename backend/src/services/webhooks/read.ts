import { and, asc, count, desc, eq } from 'drizzle-orm';
import type { Webhook, WebhookDelivery, WebhookDeliveryStatus } from '@fixpoint/protocol';
import type { AppContext } from '../../context';
import type { Db, Tx } from '../../db';
import { webhookDeliveries, webhooks } from '../../db/schema';
import { notFound } from '../../errors';
import { pageOf, type Page } from '../page';
import { toDelivery, toWebhook } from './convert';


/** Loads a webhook row (with its secret) or throws 404. */
export async function loadWebhook(db: Db | Tx, id: string, lock = false): Promise<typeof webhooks.$inferSelect> {
  const query = db.select().from(webhooks).where(eq(webhooks.id, id));
  const [row] = lock ? await query.for('update') : await query;
  if (!row) throw notFound('webhook');
  return row;
}

export async function getWebhook(ctx: AppContext, id: string): Promise<Webhook> {
  return toWebhook(await loadWebhook(ctx.db, id));
}

export async function listWebhooks(ctx: AppContext, input: { limit: number; offset: number }): Promise<Page<Webhook>> {
  const [rows, [total]] = await Promise.all([
    ctx.db.select().from(webhooks).orderBy(asc(webhooks.name), asc(webhooks.id)).limit(input.limit).offset(input.offset),
    ctx.db.select({ n: count() }).from(webhooks),
  ]);
  return pageOf(rows.map(toWebhook), total?.n ?? 0, input.offset);
}

export interface ListDeliveriesInput {
  webhookId: string;
  status?: WebhookDeliveryStatus | undefined;
  limit: number;
  offset: number;
}

/** Deliveries of one webhook, newest first. */
export async function listDeliveries(ctx: AppContext, input: ListDeliveriesInput): Promise<Page<WebhookDelivery>> {
  await loadWebhook(ctx.db, input.webhookId);
  const where = and(
    eq(webhookDeliveries.webhookId, input.webhookId),
    input.status ? eq(webhookDeliveries.status, input.status) : undefined,
  );
  const [rows, [total]] = await Promise.all([
    ctx.db
      .select()
      .from(webhookDeliveries)
      .where(where)
      .orderBy(desc(webhookDeliveries.createdAt), desc(webhookDeliveries.id))
      .limit(input.limit)
      .offset(input.offset),
    ctx.db.select({ n: count() }).from(webhookDeliveries).where(where),
  ]);
  return pageOf(rows.map(toDelivery), total?.n ?? 0, input.offset);
}
