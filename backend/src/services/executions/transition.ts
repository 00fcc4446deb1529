/**
 * The execution state machine. Every change is one conditional UPDATE (`… WHERE status IN (allowed) RETURNING`),
 * so concurrent reports cannot move an execution backwards or out of a terminal state, and the common report
 * costs one round trip.
 */
import { and, eq, inArray, sql } from 'drizzle-orm';
import {
  coerceOutput, executionStatuses, Id, isTerminal, limits, transitions, type ExecutionStatus,
} from '@fixpoint/protocol';
import type { PgUpdateSetSource } from 'drizzle-orm/pg-core';
import type { AppContext } from '../../context';
import type { Db, Tx } from '../../db';
import { devices, executions } from '../../db/schema';
import { AppError, conflict, forbidden, notFound } from '../../errors';
import { versionsById } from './version-cache';

export interface TransitionInput {
  executionId: string;
  /** The reporting device: a report about another device's execution is refused. */
  deviceId: string;
  to: ExecutionStatus;
  /** When it happened on the device; now when omitted. */
  at?: Date | undefined;
  exitCode?: number | null | undefined;
  error?: string | null | undefined;
  stdoutTail?: string | null | undefined;
  stderrTail?: string | null | undefined;
  /** Raw output values by declared name; coerced to their declared types, undeclared or mistyped ones are dropped. */
  outputs?: Record<string, unknown> | undefined;
}

export interface TransitionResult {
  id: string;
  requestId: string;
  deviceId: string;
  actionId: string;
  status: ExecutionStatus;
}

/** Statuses from which `to` may be reached. */
export const allowedFrom = (to: ExecutionStatus) => executionStatuses.filter((s) => transitions[s].includes(to));

/** Secrets are erased when an execution ends: the values go, the names stay (masked) so the record still shows them. */
export const erasedSecrets = sql`case when ${executions.secretParameters} is null then null else (select jsonb_object_agg(k, '"***"'::jsonb) from jsonb_object_keys(${executions.secretParameters}) as k) end`;

// PostgreSQL text and jsonb cannot hold NUL; scripts can print it.
const clean = (s: string) => s.replace(/\0/g, '\uFFFD');
const tail = (s: string | null | undefined, cap: number) =>
  s == null ? s : clean(s.length > cap ? s.slice(s.length - cap) : s);

/**
 * Applies one transition inside `db` (a transaction or the pool) without publishing it.
 * `deviceId: null` is for server-side changes (cancel), which are not tied to a reporting device.
 */
export async function changeStatus(
  ctx: AppContext,
  db: Db | Tx,
  input: Omit<TransitionInput, 'deviceId' | 'outputs'> & { deviceId: string | null; outputs?: Record<string, unknown> | null },
): Promise<TransitionResult> {
  const { executionId, to } = input;
  if (!Id.safeParse(executionId).success) throw notFound('execution');
  const at = input.at ?? ctx.now();
  const atSql = sql`${at.toISOString()}::timestamptz`;
  const set: PgUpdateSetSource<typeof executions> = { status: to };
  if (to === 'delivered' || to === 'running') set.deliveredAt = sql`coalesce(${executions.deliveredAt}, ${atSql})`;
  if (to === 'running') set.startedAt = at;
  if (isTerminal(to)) {
    set.finishedAt = at;
    set.secretParameters = erasedSecrets;
  }
  if (input.exitCode !== undefined) set.exitCode = input.exitCode;
  if (input.error !== undefined) set.error = tail(input.error, 4000);
  if (input.stdoutTail !== undefined) set.stdoutTail = tail(input.stdoutTail, limits.maxOutputCapBytes);
  if (input.stderrTail !== undefined) set.stderrTail = tail(input.stderrTail, limits.maxOutputCapBytes);
  if (input.outputs) set.outputs = input.outputs;

  const [row] = await db
    .update(executions)
    .set(set)
    .where(
      and(
        eq(executions.id, executionId),
        input.deviceId ? eq(executions.deviceId, input.deviceId) : undefined,
        inArray(executions.status, allowedFrom(to)),
      ),
    )
    .returning({ id: executions.id, requestId: executions.requestId, deviceId: executions.deviceId, actionId: executions.actionId, status: executions.status });
  if (row) return row;

  const [current] = await db.select({ status: executions.status, deviceId: executions.deviceId }).from(executions).where(eq(executions.id, executionId));
  if (!current) throw notFound('execution');
  if (input.deviceId && current.deviceId !== input.deviceId) throw forbidden(`execution ${executionId} belongs to another device`);
  if (isTerminal(current.status)) throw conflict(`execution ${executionId} is already ${current.status}`, { status: current.status });
  throw conflict(`execution ${executionId} cannot go from ${current.status} to ${to}`, { status: current.status });
}

/**
 * Records a status report from a device: enforces the state machine, stamps deliveredAt/startedAt/finishedAt,
 * erases secret parameters on terminal states, stores the result, merges outputs into the device's fields as
 * `<action-slug>.<output>`, and publishes an ExecutionEvent after the commit.
 * Throws not_found (unknown execution), forbidden (another device's execution) or conflict (illegal transition,
 * including any change to a terminal execution).
 */
export async function transitionExecution(ctx: AppContext, input: TransitionInput): Promise<TransitionResult> {
  const [outcome] = await transitionExecutions(ctx, [input]);
  if (outcome instanceof AppError) throw outcome;
  return outcome!;
}

/**
 * Records many reports in one transaction (one commit, one disk flush): what the agent channel does with results
 * that arrive together. Each report gets its own outcome; a refused transition does not affect the others.
 * A database error (input it cannot store) fails the whole call, and the caller retries the reports one by one.
 */
export async function transitionExecutions(ctx: AppContext, inputs: readonly TransitionInput[]): Promise<(TransitionResult | AppError)[]> {
  // Read before the transaction: PGlite runs one transaction at a time, and versions never change.
  const prepared: { input: TransitionInput; outputs: Record<string, unknown> | undefined; slug: string | null; problems: string[] }[] = [];
  for (const input of inputs)
    prepared.push(input.outputs && Object.keys(input.outputs).length ? { input, ...(await coerceOutputs(ctx, input.executionId, input.outputs)) } : { input, outputs: undefined, slug: null, problems: [] });
  const outcomes = await ctx.db.transaction(async (tx) => {
    const results: (TransitionResult | AppError)[] = [];
    for (const { input, outputs, slug, problems } of prepared) {
      try {
        const error = problems.length ? [input.error, ...problems].filter(Boolean).join('; ') : input.error;
        const changed = await changeStatus(ctx, tx, { ...input, error, outputs });
        if (slug && outputs && Object.keys(outputs).length) {
          const fields = Object.fromEntries(Object.entries(outputs).map(([name, value]) => [`${slug}.${name}`, value]));
          await tx
            .update(devices)
            .set({ outputs: sql`${devices.outputs} || ${JSON.stringify(fields)}::jsonb` })
            .where(eq(devices.id, changed.deviceId));
        }
        results.push(changed);
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        results.push(error);
      }
    }
    return results;
  });
  outcomes.forEach((o, i) => {
    if (!(o instanceof AppError)) publishStatus(ctx, o, inputs[i]!.at ?? ctx.now());
  });
  return outcomes;
}

async function coerceOutputs(ctx: AppContext, executionId: string, raw: Record<string, unknown>) {
  const outputs: Record<string, unknown> = {};
  const problems: string[] = [];
  if (!Id.safeParse(executionId).success) return { outputs, slug: null, problems };
  const [row] = await ctx.db.select({ versionId: executions.actionVersionId }).from(executions).where(eq(executions.id, executionId));
  const version = row ? (await versionsById(ctx.db, [row.versionId])).get(row.versionId) : undefined;
  if (!version) return { outputs, slug: null, problems };
  const decls = new Map((version.definition.outputs ?? []).map((d) => [d.name, d]));
  for (const [name, value] of Object.entries(raw)) {
    const decl = decls.get(name);
    if (!decl) {
      problems.push(`output ${name.slice(0, 64)} is not declared`);
      continue;
    }
    const coerced = coerceOutput(decl, value);
    if ('error' in coerced) problems.push(coerced.error);
    else outputs[name] = typeof coerced.value === 'string' ? clean(coerced.value) : Array.isArray(coerced.value) ? coerced.value.map(clean) : coerced.value;
  }
  return { outputs, slug: version.definition.slug, problems };
}

export function publishStatus(ctx: AppContext, row: Pick<TransitionResult, 'id' | 'requestId' | 'deviceId' | 'status'>, at: Date): void {
  ctx.events.publish({ type: 'execution', id: row.id, requestId: row.requestId, deviceId: row.deviceId, status: row.status, at: at.toISOString() });
}
