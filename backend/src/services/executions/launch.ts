import { createHash, randomUUID } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { canonicalJson, type ExecutionTrigger, type LaunchRequest, type LaunchResponse } from '@fixpoint/protocol';
import type { AppContext } from '../../context';
import type { Tx } from '../../db';
import { executionRequests, executions } from '../../db/schema';
import { conflict } from '../../errors';
import type { Principal } from '../../http/principal';
import { commitBatched } from './commit-batcher';
import { buildEnvelopePayload, signEnvelope } from './envelope';
import { planLaunch, type LaunchPlan } from './launch-plan';

/** Executions per INSERT statement; all of them go in the one launch transaction. */
const insertChunk = 2000;

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
 * together share one transaction (commit-batcher.ts).
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
  const plan = await planLaunch(ctx, principal, request, input.trigger);
  const requestId = randomUUID();
  const rows = buildRows(ctx, plan);
  const response: LaunchResponse = {
    requestId,
    executions: rows.map((r) => ({ id: r.id, deviceId: r.deviceId, status: 'queued' as const })),
  };
  try {
    await commitBatched(ctx, {
      at: plan.now,
      write: async (tx) => {
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
        for (let i = 0; i < rows.length; i += insertChunk) await insertExecutions(tx, plan, principal, request, requestId, rows.slice(i, i + insertChunk));
      },
      audit: {
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

/** The per-device part of each execution: its id, its device and its envelope signature. */
function buildRows(ctx: AppContext, plan: LaunchPlan) {
  return plan.targets.map((device) => {
    const id = randomUUID();
    const payload = buildEnvelopePayload(
      { id, deviceId: device.id, actionVersionId: plan.version.id, parameters: plan.parameters, secretParameters: plan.secretParameters, issuedAt: plan.now, expiresAt: plan.expiresAt },
      plan.version,
      device,
    );
    return { id, deviceId: device.id, signature: signEnvelope(ctx, payload) };
  });
}

/**
 * Inserts executions that share everything but id, device and signature. Those three travel as three text
 * parameters unnested in SQL, so a chunk costs a handful of bind parameters instead of fifteen per row, and
 * `seq` follows the order of the devices. (Uuids and base64 contain no commas.)
 */
async function insertExecutions(
  tx: Tx,
  plan: LaunchPlan,
  principal: Principal,
  request: LaunchRequest,
  requestId: string,
  rows: readonly { id: string; deviceId: string; signature: string }[],
): Promise<void> {
  const list = (values: string[]) => values.join(',');
  const json = (value: unknown) => sql`${JSON.stringify(value)}::jsonb`;
  const time = (value: Date) => sql`${value.toISOString()}::timestamptz`;
  await tx.execute(sql`
    insert into ${executions} (id, device_id, signature, request_id, action_id, action_version_id, status, trigger, trigger_info,
      requested_by, parameters, secret_parameters, issued_at, expires_at, created_at)
    select u.id::uuid, u.device_id::uuid, u.signature, ${requestId}::uuid, ${plan.action.id}::uuid, ${plan.version.id}::uuid,
      'queued', ${plan.trigger}, ${json(request.triggerInfo)}, ${principal.label}, ${json(plan.parameters)},
      ${plan.secretParameters ? json(plan.secretParameters) : sql`null`}, ${time(plan.now)}, ${time(plan.expiresAt)}, ${time(plan.now)}
    from unnest(
      string_to_array(${list(rows.map((r) => r.id))}, ','),
      string_to_array(${list(rows.map((r) => r.deviceId))}, ','),
      string_to_array(${list(rows.map((r) => r.signature))}, ',')
    ) with ordinality as u(id, device_id, signature, n)
    order by u.n`);
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
