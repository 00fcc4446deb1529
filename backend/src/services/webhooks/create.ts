import type { CreatedWebhook, WebhookInput } from '@fixpoint/protocol';
import type { AppContext } from '../../context';
import { webhooks } from '../../db/schema';
import { appendAudit } from '../audit';
import { toWebhook } from './convert';
import { newWebhookSecret } from './signature';
import { allowedNetworks, assertTargetAllowed } from './target';
import { invalidateSubscriptions } from './subscriptions';

export interface CreateWebhookInput {
  actor: string;
  webhook: WebhookInput;
}

/** Creates a webhook with a fresh secret; the result is the only place the secret is ever shown. */
export async function createWebhook(ctx: AppContext, input: CreateWebhookInput): Promise<CreatedWebhook> {
  const secret = newWebhookSecret();
  const { name, url, enabled } = input.webhook;
  assertTargetAllowed(url, allowedNetworks(ctx.config));
  const events = [...new Set(input.webhook.events)];
  const now = ctx.now();
  const created = await ctx.db.transaction(async (tx) => {
    const [row] = await tx.insert(webhooks).values({ name, url, secret, events, enabled, createdAt: now }).returning();
    await appendAudit(
      tx,
      { actor: input.actor, action: 'webhook.create', target: `webhook:${row!.id}`, details: { name, url: auditUrl(url), events, enabled } },
      now,
    );
    return { ...toWebhook(row!), secret };
  });
  invalidateSubscriptions(ctx);
  return created;
}

/**
 * The URL as the audit log keeps it: origin and path only. Query strings often carry tokens
 * (chat and automation services put them there), and the audit log is never a place for secrets.
 */
export function auditUrl(url: string): string {
  const u = new URL(url);
  return `${u.origin}${u.pathname}${u.search ? '?…' : ''}`;
}
