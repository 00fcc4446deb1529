import { and, eq, sql } from 'drizzle-orm';
import { limits, type ExecutionStatus } from '@fixpoint/protocol';
import type { AppContext } from '../../context';
import { anyId } from '../../db/any-id';
import { devices, executions } from '../../db/schema';
import { allowedFrom, coerceForVersion, erasedSecrets, publishStatus, tail } from './transition';
import { versionsById } from './version-cache';
import { devicesLockedInOrder } from '../devices/lock';

export type ResultStatus = 'succeeded' | 'failed' | 'timed_out' | 'canceled';

/** A device's report that an execution ended, as `transitionExecution` takes it. */
export interface ResultReport {
  executionId: string;
  deviceId: string;
  status: ResultStatus;
  at: Date;
  exitCode: number | null;
  error: string | null;
  stdoutTail: string;
  stderrTail: string;
  /** Raw values by declared name; coerced like `transitionExecution` does. */
  outputs: Record<string, unknown>;
}

export interface ResultsOutcome {
  applied: { id: string; deviceId: string; status: ExecutionStatus; outputs: boolean }[];
  /** Reports that changed nothing: repeats, finished executions, another device's or unknown executions. */
  ignored: ResultReport[];
}

const resultStatuses: ResultStatus[] = ['succeeded', 'failed', 'timed_out', 'canceled'];
// Rows per statement, and a bound on the JSON sent at once (tails can be up to 1 MB each).
const maxRows = 1000;
const maxBytes = 8 * 1024 * 1024;

/**
 * Stores many results with one UPDATE of the executions and one of the devices' outputs per chunk, in a
 * transaction, under the same rules as `transitionExecution`: only from queued/delivered/running, only the
 * reporting device's executions, secrets erased, tails capped, outputs coerced to their declarations (problems
 * appended to the error) and merged into the device's fields as `<action-slug>.<output>`. Publishes an event per
 * change. A repeat of the same execution within the batch is ignored. A value the database refuses fails the chunk
 * (callers then store those results one by one).
 */
export async function recordResults(ctx: AppContext, reports: readonly ResultReport[]): Promise<ResultsOutcome> {
  const seen = new Set<string>();
  const unique: ResultReport[] = [];
  const ignored: ResultReport[] = [];
  for (const r of reports) {
    if (seen.has(r.executionId)) ignored.push(r);
    else {
      unique.push(r);
      seen.add(r.executionId);
    }
  }
  const applied: ResultsOutcome['applied'] = [];
  let start = 0;
  while (start < unique.length) {
    let end = start;
    let bytes = 0;
    while (end < unique.length && end - start < maxRows && bytes < maxBytes) {
      const r = unique[end++]!;
      bytes += r.stdoutTail.length + r.stderrTail.length + (r.error?.length ?? 0) + 512;
    }
    applied.push(...(await recordChunk(ctx, unique.slice(start, end))));
    start = end;
  }
  const done = new Set(applied.map((a) => `${a.id}/${a.deviceId}`));
  return { applied, ignored: [...unique.filter((r) => !done.has(`${r.executionId}/${r.deviceId}`)), ...ignored] };
}

async function recordChunk(ctx: AppContext, chunk: readonly ResultReport[]): Promise<ResultsOutcome['applied']> {
  // Versions are read before the transaction (PGlite runs one transaction at a time); they never change.
  const withOutputs = chunk.filter((r) => Object.keys(r.outputs).length);
  const versionOf = new Map<string, string>();
  if (withOutputs.length) {
    const rows = await ctx.db
      .select({ id: executions.id, versionId: executions.actionVersionId })
      .from(executions)
      .where(anyId(executions.id, withOutputs.map((r) => r.executionId)));
    for (const row of rows) versionOf.set(row.id, row.versionId);
  }
  const versions = await versionsById(ctx.db, versionOf.values());
  const coerced = new Map<string, { outputs: Record<string, unknown>; slug: string }>();
  const rows = chunk.map((r) => {
    let error = r.error;
    let outputs: Record<string, unknown> | null = null;
    if (Object.keys(r.outputs).length) {
      const version = versions.get(versionOf.get(r.executionId) ?? '');
      outputs = {};
      if (version) {
        const checked = coerceForVersion(version, r.outputs);
        outputs = checked.outputs;
        if (checked.problems.length) error = [error, ...checked.problems].filter(Boolean).join('; ');
        coerced.set(`${r.executionId}/${r.deviceId}`, { outputs: checked.outputs, slug: checked.slug });
      }
    }
    return {
      id: r.executionId, deviceId: r.deviceId, to: r.status, at: r.at.toISOString(), exitCode: r.exitCode,
      error: tail(error, 4000), stdout: tail(r.stdoutTail, limits.maxOutputCapBytes), stderr: tail(r.stderrTail, limits.maxOutputCapBytes), outputs,
    };
  });
  const allowed = sql.join(
    resultStatuses.map((to) => sql`(v."to" = ${to} and ${executions.status} in (${sql.join(allowedFrom(to).map((s) => sql`${s}`), sql`, `)}))`),
    sql` or `,
  );

  const changed = await ctx.db.transaction(async (tx) => {
    const updated = await tx
      .update(executions)
      .set({
        status: sql`v."to"`,
        finishedAt: sql`v.at`,
        secretParameters: erasedSecrets,
        exitCode: sql`v."exitCode"`,
        error: sql`v.error`,
        stdoutTail: sql`v.stdout`,
        stderrTail: sql`v.stderr`,
        outputs: sql`coalesce(v.outputs, ${executions.outputs})`,
      })
      .from(
        sql`jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as v(id uuid, "deviceId" uuid, "to" text, at timestamptz, "exitCode" integer, error text, stdout text, stderr text, outputs jsonb)`,
      )
      .where(and(eq(executions.id, sql`v.id`), eq(executions.deviceId, sql`v."deviceId"`), sql`(${allowed})`))
      .returning({ id: executions.id, requestId: executions.requestId, deviceId: executions.deviceId, status: executions.status });
    // Outputs become device fields, in report order, only for the results that applied.
    const fields = new Map<string, Record<string, unknown>>();
    const appliedKeys = new Set(updated.map((u) => `${u.id}/${u.deviceId}`));
    for (const r of chunk) {
      const c = coerced.get(`${r.executionId}/${r.deviceId}`);
      if (!c || !appliedKeys.has(`${r.executionId}/${r.deviceId}`) || !Object.keys(c.outputs).length) continue;
      const merged = fields.get(r.deviceId) ?? {};
      for (const [name, value] of Object.entries(c.outputs)) merged[`${c.slug}.${name}`] = value;
      fields.set(r.deviceId, merged);
    }
    if (fields.size) {
      const list = [...fields].sort(([a], [b]) => (a < b ? -1 : 1)).map(([id, f]) => ({ id, fields: f }));
      await tx
        .update(devices)
        .set({ outputs: sql`${devices.outputs} || v.fields` })
        .from(sql`jsonb_to_recordset(${JSON.stringify(list)}::jsonb) as v(id uuid, fields jsonb)`)
        .where(and(eq(devices.id, sql`v.id`), devicesLockedInOrder(list.map((l) => l.id))));
    }
    return updated.map((u) => ({ ...u, outputs: Object.keys(coerced.get(`${u.id}/${u.deviceId}`)?.outputs ?? {}).length > 0 }));
  });
  const atOf = new Map(rows.map((r) => [`${r.id}/${r.deviceId}`, r.at]));
  for (const row of changed) publishStatus(ctx, row, new Date(atOf.get(`${row.id}/${row.deviceId}`)!));
  return changed.map((c) => ({ id: c.id, deviceId: c.deviceId, status: c.status, outputs: c.outputs }));
}
