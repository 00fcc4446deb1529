import { performance } from 'node:perf_hooks';
import { sql, type SQL } from 'drizzle-orm';
import { queryLimits, type QueryColumn, type QueryResult } from '@fixpoint/protocol';
import type { AppContext } from '../../context';
import { rowsOf } from '../../db/rows';
import { AppError, limitExceeded } from '../../errors';
import type { Principal } from '../identity/rights';
import { compileQuery } from './compile';
import { declareOutputColumns } from './output-types';

export interface RunQueryInput {
  query: string;
  /** Who asked; named in the log line of a failed query. Scoping is the caller's job, through `scopeCondition`. */
  principal?: Principal;
  /** The caller's device scope as an SQL condition over `devices`, ANDed into the rows before any stage. */
  scopeCondition?: SQL | undefined;
  /** Most rows to return (default 1000, at most 10,000). */
  limit?: number;
  /** Statement timeout (default 10 s, at most 60 s). */
  timeoutMs?: number;
}

/**
 * Parses, compiles and runs a query in a read-only transaction with a statement timeout.
 * Throws a QuerySyntaxError (400 `bad_request`, details = positioned QueryError) for a query the language rejects,
 * and a 400 `limit_exceeded` when it runs longer than the timeout.
 * PGlite cannot interrupt a running statement (it runs on the event loop's thread), so there the timeout is
 * checked when the statement returns; PostgreSQL cancels the statement itself.
 * @example await runQuery(ctx, { query: 'devices | where online == true | limit 10', scopeCondition: deviceScopeCondition(principal) })
 */
export async function runQuery(ctx: AppContext, input: RunQueryInput): Promise<QueryResult> {
  const compiled = compileQuery(input.query, { now: ctx.now(), limit: input.limit, scopeCondition: input.scopeCondition });
  const timeoutMs = Math.trunc(Math.min(Math.max(input.timeoutMs ?? queryLimits.defaultTimeoutMs, 1), queryLimits.maxTimeoutMs));
  const started = performance.now();
  let raw: Record<string, unknown>[];
  let columns: QueryColumn[];
  try {
    [raw, columns] = await ctx.db.transaction(async (tx) => {
      await tx.execute(sql`set transaction read only`);
      await tx.execute(sql`select set_config('statement_timeout', ${String(timeoutMs)}, true)`);
      return [rowsOf(await tx.execute(compiled.sql)), await declareOutputColumns(tx, compiled.columns)] as const;
    });
  } catch (error) {
    if (sqlState(error) === '57014') throw tooSlow(timeoutMs);
    // the compiler should make this unreachable; keep database internals out of the answer
    ctx.log.error('query failed in the database', { query: input.query, by: input.principal?.label, error: String(sqlMessage(error)) });
    throw new AppError(400, 'bad_request', 'the query could not be run');
  }
  const elapsedMs = Math.round((performance.now() - started) * 100) / 100;
  if (elapsedMs > timeoutMs) throw tooSlow(timeoutMs);
  return {
    columns,
    rows: raw.slice(0, compiled.rowLimit).map((row) => columns.map((c, i) => cell(c, row[`c${i}`]))),
    truncated: raw.length > compiled.rowLimit,
    elapsedMs,
  };
}

const tooSlow = (ms: number) => limitExceeded(`query took longer than ${ms} ms`);

/** Drivers hand back bigint and numeric as strings; numbers leave as JSON numbers. */
function cell(column: QueryColumn, value: unknown): unknown {
  if (value === undefined || value === null) return null;
  // an output keeps the value the agent stored, even one an older version of its action typed differently
  if (column.type === 'number' && !column.outputType && (typeof value === 'string' || typeof value === 'bigint')) return Number(value);
  return value;
}

/** The SQLSTATE of a driver error, looking through drizzle's wrapper. */
function sqlState(error: unknown): string | undefined {
  for (let e = error, depth = 0; e && typeof e === 'object' && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
  }
  return undefined;
}

function sqlMessage(error: unknown): unknown {
  const cause = (error as { cause?: unknown })?.cause;
  return cause instanceof Error ? cause.message : error;
}
