import { createHash, randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { canonicalJson, type LaunchRequest, type LaunchResponse } from '@fixpoint/protocol';
import type { AppContext } from '../../context';
import { executionRequests, executions } from '../../db/schema';
import { conflict } from '../../errors';
import type { Principal } from '../../http/principal';
import { appendAudit } from '../audit';
import { buildEnvelopePayload, signEnvelope } from './envelope';
import { planLaunch, type LaunchPlan } from './launch-plan';

/** Rows per INSERT: ~15 parameters a row keeps a statement far below PostgreSQL's 65,535 bind parameters. */
const insertChunk = 1000;

export interface LaunchInput {
  principal: Principal;
  request: LaunchRequest;
  /** The caller's Idempotency-Key header, if any. */
  idempotencyKey?: string | undefined;
}

export interface LaunchResult {
  response: LaunchResponse;
  /** True when an earlier launch with the same Idempotency-Key answered, and nothing new was created. */
  replayed: boolean;
}

/**
 * Launches an action version on devices: one execution request and one queued execution per device, each
 * with its envelope signed, plus the audit entry, in one transaction. After the commit the dispatcher is told
 * which devices have work, and live status subscribers get a `queued` event per execution.
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
  const plan = await planLaunch(ctx, principal, request);
  const requestId = randomUUID();
  const rows = buildRows(ctx, plan, principal, request, requestId);
  const response: LaunchResponse = {
    requestId,
    executions: rows.map((r) => ({ id: r.id, deviceId: r.deviceId, status: 'queued' as const })),
  };
  try {
    await ctx.db.transaction(async (tx) => {
      await tx.insert(executionRequests).values({
        id: requestId,
        actionVersionId: plan.version.id,
        requestedBy: principal.label,
        trigger: plan.trigger,
        triggerInfo: request.triggerInfo,
        principalId: principal.id,
        idempotencyKey: idempotencyKey ?? null,
        requestHash,
        response,
        createdAt: plan.now,
      });
      for (let i = 0; i < rows.length; i += insertChunk) await tx.insert(executions).values(rows.slice(i, i + insertChunk));
      await appendAudit(
        tx,
        {
          actor: principal.label,
          action: 'execution.launch',
          target: `action:${plan.action.slug}`,
          details: {
            requestId,
            action: plan.action.slug,
            version: plan.version.version,
            devices: rows.length,
            trigger: plan.trigger,
            triggerInfo: request.triggerInfo,
            parameters: plan.parameters,
            // names only: secret values never reach the audit log
            secretParameters: Object.keys(plan.secretParameters ?? {}),
          },
        },
        plan.now,
      );
    });
  } catch (error) {
    if (idempotencyKey && isUniqueViolation(error)) {
      const prior = await findPrior(ctx, principal.id, idempotencyKey);
      if (prior) return replay(prior, requestHash!);
    }
    throw error;
  }
  announce(ctx, response, plan.now);
  return { response, replayed: false };
}

function buildRows(ctx: AppContext, plan: LaunchPlan, principal: Principal, request: LaunchRequest, requestId: string) {
  const issuedAt = plan.now;
  return plan.targets.map((device) => {
    const base = {
      id: randomUUID(),
      deviceId: device.id,
      actionVersionId: plan.version.id,
      parameters: plan.parameters,
      secretParameters: plan.secretParameters,
      issuedAt,
      expiresAt: plan.expiresAt,
    };
    const signature = signEnvelope(ctx, buildEnvelopePayload(base, plan.version, device));
    return {
      ...base,
      requestId,
      actionId: plan.action.id,
      status: 'queued' as const,
      trigger: plan.trigger,
      triggerInfo: request.triggerInfo,
      requestedBy: principal.label,
      signature,
      createdAt: plan.now,
    };
  });
}

// Delivery and live status are best effort after the commit: queued work is never lost, because agents pull
// what is pending when they (re)connect.
function announce(ctx: AppContext, response: LaunchResponse, at: Date): void {
  try {
    ctx.dispatcher.notify(response.executions.map((e) => e.deviceId));
  } catch (error) {
    ctx.log.error('dispatcher notify failed', { error: String(error) });
  }
  const iso = at.toISOString();
  for (const e of response.executions)
    ctx.events.publish({ type: 'execution', id: e.id, requestId: response.requestId, deviceId: e.deviceId, status: 'queued', at: iso });
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
export function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string; cause?: { code?: string } } | null;
  return e?.code === '23505' || e?.cause?.code === '23505';
}
