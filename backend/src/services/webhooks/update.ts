import { eq } from 'drizzle-orm';
import type { Webhook, WebhookUpdate } from '@fixpoint/protocol';
import type { AppContext } from '../../context';
import { webhooks } from '../../db/schema';
import { appendAudit } from '../audit';
import { toWebhook } from './convert';
import { auditUrl } from './create';
import { loadWebhook } from './read';
import { invalidateSubscriptions } from './subscriptions';
import { allowedNetworks, assertTargetAllowed } from './target';

export interface UpdateWebhookInput {
  actor: string;
  id: string;
  changes: WebhookUpdate;
}

/** Changes name, URL, events or enabled; the audit entry lists only what changed. */
export async function updateWebhook(ctx: AppContext, input: UpdateWebhookInput): Promise<Webhook> {
  if (input.changes.url !== undefined) assertTargetAllowed(input.changes.url, allowedNetworks(ctx.config));
  const now = ctx.now();
  const updated = await ctx.db.transaction(async (tx) => {
    const before = await loadWebhook(tx, input.id, true);
    const { name, url, enabled } = input.changes;
    const events = input.changes.events && [...new Set(input.changes.events)];
    const set = Object.fromEntries(Object.entries({ name, url, events, enabled }).filter(([, v]) => v !== undefined));
    const [row] = await tx.update(webhooks).set(set).where(eq(webhooks.id, input.id)).returning();
    const details: Record<string, unknown> = { ...set };
    if (url !== undefined) details.url = auditUrl(url);
    await appendAudit(tx, { actor: input.actor, action: 'webhook.update', target: `webhook:${before.id}`, details }, now);
    return toWebhook(row!);
  });
  invalidateSubscriptions(ctx);
  return updated;
}
