import { eq } from 'drizzle-orm';
import type { AppContext } from '../../context';
import { webhooks } from '../../db/schema';
import { appendAudit } from '../audit';
import { loadWebhook } from './read';
import { invalidateSubscriptions } from './subscriptions';

/** Deletes a webhook and, by cascade, its delivery history. */
export async function deleteWebhook(ctx: AppContext, input: { actor: string; id: string }): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    const row = await loadWebhook(tx, input.id, true);
    await tx.delete(webhooks).where(eq(webhooks.id, input.id));
    await appendAudit(tx, { actor: input.actor, action: 'webhook.delete', target: `webhook:${row.id}`, details: { name: row.name } }, ctx.now());
  });
  invalidateSubscriptions(ctx);
}
