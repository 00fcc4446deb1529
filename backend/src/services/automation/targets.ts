/**
 * @module Device targets: a devices query (schedules) or a where-clause over device fields (detection rules),
 * checked once when saved and run page by page, so a target may select more devices than one query returns.
 */
import { and, inArray, sql, type SQL } from 'drizzle-orm';
import { queryLimits, type Platform, type QueryAst, type QueryStage } from '@fixpoint/protocol';
import type { AppContext } from '../../context';
import { devices } from '../../db/schema';
import { compileAst, formatQuery, parseQuery, QuerySyntaxError, runQuery } from '../query';
import { queryError } from '../query/errors';

export interface DeviceTarget {
  /** The text as the user wrote it. */
  text: string;
  ast: QueryAst;
}

export interface TargetDevice {
  id: string;
  platform: Platform;
}

const conditionPrefix = 'devices | where ';
const zeroSpan = { offset: 0, length: 0 };

/**
 * Parses and compiles a devices query; throws a positioned QuerySyntaxError (400) for anything else: another
 * table, a `summarize` (a target selects devices, not counts), or an unknown field.
 */
export function parseDeviceTarget(text: string, now: Date): DeviceTarget {
  const ast = parseQuery(text);
  if (ast.table.name !== 'devices') throw queryError(text, ast.table.span, `a target selects devices; start with 'devices'`, ['devices']);
  const summarize = ast.stages.find((s) => s.kind === 'summarize');
  if (summarize) throw queryError(text, summarize.span, 'a target selects devices; summarize is not allowed here', ['where', 'sort', 'limit']);
  compileAst(withIdColumns(ast, false), text, { now });
  return { text, ast };
}

/**
 * Parses a where-clause as `devices | where <clause>`. Error positions are given relative to the clause, and a
 * clause cannot add stages of its own.
 */
export function parseDeviceCondition(clause: string, now: Date): DeviceTarget {
  const text = `${conditionPrefix}${clause}`;
  try {
    const ast = parseQuery(text);
    const extra = ast.stages[1];
    if (extra) throw queryError(text, extra.span, `a condition cannot add stages ('|'); write one where-clause`);
    compileAst(withIdColumns(ast, false), text, { now });
    return { text: clause, ast };
  } catch (error) {
    if (error instanceof QuerySyntaxError) throw shiftError(error, clause);
    throw error;
  }
}

/** Moves an error found in `devices | where <clause>` back onto the clause itself. */
function shiftError(error: QuerySyntaxError, clause: string): QuerySyntaxError {
  const e = error.queryError;
  const offset = Math.max(0, e.offset - conditionPrefix.length);
  const span = { offset, length: e.offset < conditionPrefix.length ? 0 : e.length };
  const message = e.message.replace(/^line \d+, column \d+: /, '');
  return queryError(clause, span, message, e.expected);
}

/** The target's stages, then a sort on the id (for paging) and the two columns the caller reads. */
function withIdColumns(ast: QueryAst, sortById: boolean): QueryAst {
  const field = (path: string) => ({ path, span: zeroSpan });
  const stages: QueryStage[] = [...ast.stages];
  if (sortById) stages.push({ kind: 'sort', keys: [{ field: field('id'), direction: 'asc' }], span: zeroSpan });
  stages.push({ kind: 'list', fields: [field('id'), field('platform')], span: zeroSpan });
  return { ...ast, stages };
}

export interface MatchOptions {
  /** Only these devices (incremental evaluation); every device when absent. */
  deviceIds?: readonly string[];
  /** Devices per page; at most the query row cap. */
  pageSize?: number;
  /** Statement timeout per page. */
  timeoutMs?: number;
  /** A device scope (`deviceScopeCondition`) ANDed with the target: only devices it reaches match. */
  scope?: SQL | undefined;
}

/**
 * The devices a target selects, a page at a time. Without a `limit` stage the pages are read by id (keyset), so
 * any number of devices can match; with one, the query's own answer (at most the row cap) is one page.
 */
export async function* matchDevicePages(ctx: AppContext, target: DeviceTarget, options: MatchOptions = {}): AsyncGenerator<TargetDevice[]> {
  const pageSize = Math.min(options.pageSize ?? queryLimits.maxRows, queryLimits.maxRows);
  const timeoutMs = options.timeoutMs ?? queryLimits.maxTimeoutMs;
  const limited = target.ast.stages.some((s) => s.kind === 'limit');
  const ids = options.deviceIds;
  const run = async (page: SQL | undefined, sortById: boolean, limit = pageSize) => {
    const query = formatQuery(withIdColumns(target.ast, sortById));
    const result = await runQuery(ctx, { query, scopeCondition: and(options.scope, page), limit, timeoutMs });
    return { rows: result.rows.map(([id, platform]) => ({ id: String(id), platform: platform as Platform })), truncated: result.truncated };
  };
  if (ids) {
    for (let i = 0; i < ids.length; i += pageSize) {
      const page = await run(inArray(devices.id, ids.slice(i, i + pageSize) as string[]), false);
      if (page.rows.length) yield page.rows;
    }
    return;
  }
  if (limited) {
    // the query's own limit is the answer (up to the row cap), in pages for the caller
    const { rows } = await run(undefined, false, queryLimits.maxRows);
    for (let i = 0; i < rows.length; i += pageSize) yield rows.slice(i, i + pageSize);
    return;
  }
  let after: string | undefined;
  for (;;) {
    const page = await run(after === undefined ? undefined : sql`${devices.id}::text > ${after}`, true);
    if (page.rows.length) yield page.rows;
    if (!page.truncated) return;
    after = page.rows.at(-1)!.id;
  }
}
