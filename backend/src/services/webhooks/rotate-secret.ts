import { eq } from 'drizzle-orm';
import type { CreatedWebhook } from '@fixpoint/protocol';
import type { AppContext } from '../../context';
import { webhooks } from '../../db/schema';
import { appendAudit } from '../audit';
import { toWebhook } from './convert';
import { loadWebhook } from './read';
import { newWebhookSecret } from './signature';

/** Replaces the secret at once; deliveries sent from now on (retries included) are signed with the new one. */
export async function rotateWebhookSecret(ctx: AppContext, input: { actor: string; id: string }): Promise<CreatedWebhook> {
  const secret = newWebhookSecret();
  return ctx.db.transaction(async (tx) => {
    await loadWebhook(tx, input.id, true);
    const [row] = await tx.update(webhooks).set({ secret }).where(eq(webhooks.id, input.id)).returning();
    await appendAudit(tx, { actor: input.actor, action: 'webhook.rotate_secret', target: `webhook:${input.id}` }, ctx.now());
    return { ...toWebhook(row!), secret };
  });
}
