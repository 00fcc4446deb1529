import { createHash } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { canonicalJson, type ExecutionTrigger, type LaunchRequest, type LaunchResponse } from '@fixpoint/protocol';
import type { AppContext } from '../../context';
import { executionRequests } from '../../db/schema';
import { conflict } from '../../errors';
import type { Principal } from '../identity/rights';
import { admitLaunch } from './admission';
import { submitLaunch, type Launched } from './launch-batcher';

export interface LaunchInput {
  principal: Principal;
  request: LaunchRequest;
  /** The caller's Idempotency-Key header, if any. */
  idempotencyKey?: string | undefined;
  /**
   * Set by server-side launchers (schedules, detection rules, campaigns), whose triggers the wire request cannot
   * name; it wins over `request.trigger`. The action version must still allow it.
   */
  trigger?: ExecutionTrigger | undefined;
  /** Server-side launchers only (schedules): each device's signed hold (`EnvelopePayload.notBefore`), if any. */
  notBefore?: ((deviceId: string) => string | undefined) | undefined;
  /** API launches: refused with 503 `overloaded` while the backend is too far behind (`admission.ts`). */
  shed?: boolean;
}

export interface LaunchResult {
  response: LaunchResponse;
  /** True when an earlier launch with the same Idempotency-Key answered, and nothing new was created. */
  replayed: boolean;
}

/**
 * Launches an action version on devices: one execution request and one queued execution per device, each
 * with its envelope signed, plus the audit entry, in one transaction. After the commit the dispatcher is told
 * which devices have work, and live status subscribers get a `queued` event per execution. Launches that arrive
 * together are checked and stored together (launch-batcher.ts).
 *
 * With an idempotency key, a repeat by the same principal returns the stored response, a different request under
 * the same key is a conflict, and concurrent duplicates are settled by the unique index on (principal, key).
 */
export async function launchExecutions(ctx: AppContext, input: LaunchInput): Promise<LaunchResult> {
  const { principal, request, idempotencyKey } = input;
  const requestHash = idempotencyKey ? launchDigest(ctx, request) : null;
  if (idempotencyKey) {
    const prior = await findPrior(ctx, principal.id, idempotencyKey);
    if (prior) return replay(prior, requestHash!);
  }
  if (input.shed) admitLaunch(ctx);
  let launched: Launched;
  try {
    launched = await submitLaunch(ctx, { principal, request, trigger: input.trigger, notBefore: input.notBefore, idempotencyKey: idempotencyKey ?? null, requestHash });
  } catch (error) {
    if (idempotencyKey && isUniqueViolation(error)) {
      const prior = await findPrior(ctx, principal.id, idempotencyKey);
      if (prior) return replay(prior, requestHash!);
    }
    throw error;
  }
  announce(ctx, launched);
  return { response: launched.response, replayed: false };
}

// Delivery and live status are best effort after the commit: queued work is never lost, because agents pull
// what is pending when they (re)connect.
function announce(ctx: AppContext, { response, at, work }: Launched): void {
  try {
    const queued = response.executions.filter((e) => e.status === 'queued');
    if (queued.length) ctx.dispatcher.notify(queued.map((e) => e.deviceId), work);
  } catch (error) {
    ctx.log.error('dispatcher notify failed', { error: String(error) });
  }
  const iso = at.toISOString();
  for (const e of response.executions)
    ctx.events.publish({ type: 'execution', id: e.id, requestId: response.requestId, deviceId: e.deviceId, status: e.status, at: iso });
}

/**
 * A keyed digest of the canonical request: Ed25519 signatures are deterministic, so hashing one gives an HMAC-like
 * value that cannot be brute-forced back to low-entropy secret parameters by someone who reads the table.
 */
function launchDigest(ctx: AppContext, request: LaunchRequest): string {
  return createHash('sha256').update(ctx.signingKey.sign(`launch:${canonicalJson(request)}`)).digest('hex');
}

async function findPrior(ctx: AppContext, principalId: string, key: string) {
  const [row] = await ctx.db
    .select({ requestHash: executionRequests.requestHash, response: executionRequests.response })
    .from(executionRequests)
    .where(and(eq(executionRequests.principalId, principalId), eq(executionRequests.idempotencyKey, key)));
  return row;
}

function replay(prior: { requestHash: string | null; response: LaunchResponse | null }, requestHash: string): LaunchResult {
  if (prior.requestHash !== requestHash || !prior.response)
    throw conflict('this Idempotency-Key was already used for a different launch request; use a new key');
  return { response: prior.response, replayed: true };
}

/** PostgreSQL unique_violation, as raised through either driver (drizzle wraps it in `cause`). */
function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string; cause?: { code?: string } } | null;
  return e?.code === '23505' || e?.cause?.code === '23505';
}
