/**
 * @module The delivery worker's unit of work: claim due deliveries, POST each one signed, record the outcome.
 * Claiming is one UPDATE over a `FOR UPDATE SKIP LOCKED` subquery that moves `next_attempt_at` forward by a lease:
 * several workers (or backend instances on one PostgreSQL) never claim the same row, and a worker that dies
 * mid-send only delays that delivery until the lease runs out.
 */
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { and, asc, eq, inArray, lte } from 'drizzle-orm';
import type { AppContext } from '../../context';
import { webhookDeliveries, webhooks } from '../../db/schema';
import { signWebhookBody } from './signature';
import { allowedNetworks, resolveTarget, TargetRefused, type CheckedAddresses } from './target';

export interface DeliverOptions {
  batchSize: number;
  timeoutMs: number;
  /** How long a claim holds; longer than `timeoutMs` so a slow send is never claimed twice. */
  leaseMs: number;
  maxAttempts: number;
  /** Milliseconds to wait after the `attempt`-th failure. */
  backoff: (attempt: number) => number;
}

type Claimed = typeof webhookDeliveries.$inferSelect;
interface Outcome {
  ok: boolean;
  statusCode: number | null;
  error: string | null;
}

const maxErrorLength = 500;
const truncate = (s: string) => (s.length > maxErrorLength ? `${s.slice(0, maxErrorLength - 1)}…` : s);

/** Claims up to `batchSize` due deliveries of enabled webhooks. */
export async function claimDueDeliveries(ctx: AppContext, options: Pick<DeliverOptions, 'batchSize' | 'leaseMs'>): Promise<Claimed[]> {
  const now = ctx.now();
  const due = ctx.db
    .select({ id: webhookDeliveries.id })
    .from(webhookDeliveries)
    .innerJoin(webhooks, eq(webhooks.id, webhookDeliveries.webhookId))
    .where(and(eq(webhookDeliveries.status, 'pending'), lte(webhookDeliveries.nextAttemptAt, now), eq(webhooks.enabled, true)))
    .orderBy(asc(webhookDeliveries.nextAttemptAt))
    .limit(options.batchSize)
    .for('update', { of: webhookDeliveries, skipLocked: true });
  return ctx.db
    .update(webhookDeliveries)
    .set({ nextAttemptAt: new Date(now.getTime() + options.leaseMs) })
    .where(inArray(webhookDeliveries.id, due))
    .returning();
}

/** Claims one batch and sends it; returns how many deliveries were attempted. */
export async function deliverDueBatch(ctx: AppContext, options: DeliverOptions): Promise<number> {
  const claimed = await claimDueDeliveries(ctx, options);
  if (!claimed.length) return 0;
  const ids = [...new Set(claimed.map((d) => d.webhookId))];
  const targets = new Map(
    (await ctx.db.select({ id: webhooks.id, url: webhooks.url, secret: webhooks.secret }).from(webhooks).where(inArray(webhooks.id, ids))).map(
      (w) => [w.id, w],
    ),
  );
  await Promise.all(
    claimed.map(async (delivery) => {
      const target = targets.get(delivery.webhookId);
      if (!target) return; // deleted meanwhile; the cascade removed the delivery too
      const outcome = await post(ctx, delivery, target, options.timeoutMs);
      await recordOutcome(ctx, delivery, outcome, options);
    }),
  );
  return claimed.length;
}

async function post(ctx: AppContext, delivery: Claimed, target: { url: string; secret: string }, timeoutMs: number): Promise<Outcome> {
  const body = JSON.stringify(delivery.payload);
  const signal = AbortSignal.timeout(timeoutMs);
  try {
    const url = new URL(target.url);
    const pinned = await resolveTarget(url, allowedNetworks(ctx.config));
    const res = await send(url, pinned, signal, body, {
      'content-type': 'application/json',
      'user-agent': `Fixpoint-Webhooks/${ctx.version}`,
      'x-fixpoint-event': delivery.event,
      'x-fixpoint-delivery': delivery.id,
      'x-fixpoint-signature': signWebhookBody(target.secret, body, ctx.now()),
    });
    if (res.status >= 200 && res.status < 300) return { ok: true, statusCode: res.status, error: null };
    const snippet = res.start.replace(/\s+/g, ' ').trim();
    return { ok: false, statusCode: res.status, error: truncate(`HTTP ${res.status}${snippet ? `: ${snippet}` : ''}`) };
  } catch (e) {
    const err = e as Error & { code?: string };
    const reason = signal.aborted ? `no response within ${timeoutMs / 1000} s` : e instanceof TargetRefused ? err.message : err.code ?? err.message;
    return { ok: false, statusCode: null, error: truncate(String(reason)) };
  }
}

/**
 * POSTs to an address that was checked: the socket's look-up answers with them, so the name is not resolved again,
 * while the Host header and TLS still use the name. Redirects are not followed (they could point the signed body
 * anywhere; receivers must give the final URL). Reads at most 300 characters of the answer.
 */
function send(url: URL, pinned: CheckedAddresses, signal: AbortSignal, body: string, headers: Record<string, string>) {
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<{ status: number; start: string }>((resolve, reject) => {
    const req = request(url, {
      method: 'POST',
      headers: { ...headers, 'content-length': Buffer.byteLength(body) },
      signal,
      agent: false, // a pooled socket would outlive the check of the address it went to
      lookup: (_host, options, callback) =>
        (options as { all?: boolean }).all
          ? (callback as (e: null, a: CheckedAddresses) => void)(null, pinned)
          : callback(null, pinned[0]!.address, pinned[0]!.family),
    });
    req.on('error', reject);
    req.on('response', (res) => {
      let start = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        start += chunk;
        // receivers can answer with anything, of any size: stop reading once the start is in hand
        if (start.length >= 300) res.destroy();
      });
      res.on('error', () => {}); // a body cut short is no reason to lose the status code
      res.on('close', () => resolve({ status: res.statusCode ?? 0, start: start.slice(0, 300) }));
    });
    req.end(body);
  });
}

/** Writes the outcome, but only while this worker still holds the claim (the lease it set is unchanged). */
async function recordOutcome(ctx: AppContext, delivery: Claimed, outcome: Outcome, options: DeliverOptions): Promise<void> {
  const now = ctx.now();
  const attempts = delivery.attempts + 1;
  const failedForGood = !outcome.ok && attempts >= options.maxAttempts;
  await ctx.db
    .update(webhookDeliveries)
    .set({
      attempts,
      lastStatusCode: outcome.statusCode,
      lastError: outcome.error,
      status: outcome.ok ? 'delivered' : failedForGood ? 'failed' : 'pending',
      deliveredAt: outcome.ok ? now : null,
      nextAttemptAt: outcome.ok || failedForGood ? null : new Date(now.getTime() + options.backoff(attempts)),
    })
    .where(
      and(
        eq(webhookDeliveries.id, delivery.id),
        eq(webhookDeliveries.status, 'pending'),
        eq(webhookDeliveries.nextAttemptAt, delivery.nextAttemptAt!),
      ),
    );
  if (!outcome.ok) ctx.log.debug('webhook delivery failed', { deliveryId: delivery.id, attempts, error: outcome.error });
}
