/**
 * @module A devices query as a condition over the `devices` table, for role scopes that use saved queries: the
 * query's `where` stages ANDed together. Only queries whose answer is "the devices that match" qualify, so
 * `limit`, `summarize` and `during` are refused (their answer depends on the rest of the fleet or on the clock).
 */
import { and, sql, type SQL } from 'drizzle-orm';
import type { QueryAst } from '@fixpoint/protocol';
import { queryError } from './errors';
import { compileCondition } from './expr';
import { queryTable } from './fields';
import { parseQuery } from './parser';

/** Why a parsed query cannot be a condition, or null when it can. */
export function conditionProblem(ast: QueryAst): string | null {
  if (ast.table.name !== 'devices') return "a category selects devices; start with 'devices'";
  if (ast.during) return "a category cannot use 'during'";
  const stage = ast.stages.find((s) => s.kind === 'limit' || s.kind === 'summarize');
  return stage ? `a category cannot use '${stage.kind}'; only where, sort and list` : null;
}

/**
 * The SQL condition a devices query stands for (true for `devices` alone). Throws a positioned QuerySyntaxError
 * when the text does not parse, names an unknown field, or is not a condition (see {@link conditionProblem}).
 */
export function deviceQueryCondition(text: string, now: Date): SQL {
  const ast = parseQuery(text);
  const problem = conditionProblem(ast);
  if (problem) throw queryError(text, ast.table.span, problem);
  const table = queryTable('devices')!;
  const scope = {
    text,
    now,
    resolve: (f: { path: string; span: { offset: number; length: number } }) => {
      const def = table.resolve(f.path);
      if (!def) throw queryError(text, f.span, `unknown field '${f.path}' in devices`);
      return def;
    },
  };
  const parts = ast.stages.flatMap((s) => (s.kind === 'where' ? [compileCondition(s.condition, scope)] : []));
  return and(...parts) ?? sql`true`;
}
