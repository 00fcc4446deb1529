/**
 * @module Compiles a parsed query to one parameterized SQL statement.
 *
 * Stages apply in order, like a pipe. They fold into one SELECT while that keeps the meaning; a stage that must
 * see the output of an earlier `limit` (a later `where`, `sort` or `summarize`) wraps what came before in a
 * subquery, and `summarize` always does. After a wrap, later stages see only the columns produced so far
 * (the `list`, or the default columns; for `summarize`, the `by` fields and the aggregates).
 */
import { sql, type SQL } from 'drizzle-orm';
import { queryLimits, type QueryAggregate, type QueryAst, type QueryColumn, type QueryColumnType, type QueryField } from '@fixpoint/protocol';
import { describeExpected, queryError } from './errors';
import { compileCondition, jsonNumber, type ExprScope } from './expr';
import { queryTable, queryTableNames, type FieldDef, type TableDef } from './fields';
// registers the campaign_responses table beside the devices and executions tables of fields.ts
import './campaign-responses';
import { parseQuery } from './parser';

export interface CompileOptions {
  /** The instant `7d`, `during past 24h` and the like count back from (the context clock). */
  now: Date;
  /** Most rows to return: default 1000, at most 10,000, applied even without a `limit` stage. */
  limit?: number;
  /** ANDed into the base rows before any stage, e.g. the caller's device scope (an SQL condition over `devices`). */
  scopeCondition?: SQL | undefined;
}

export interface CompiledQuery {
  sql: SQL;
  columns: QueryColumn[];
  /** Rows to keep. The statement fetches one more when the row cap (not the query's own `limit`) decides. */
  rowLimit: number;
}

interface Column {
  name: string;
  type: QueryColumnType;
  sql: SQL;
}
interface OrderKey {
  sql: SQL;
  direction: 'asc' | 'desc';
}
/** One SELECT under construction. */
interface Layer {
  from: SQL;
  resolve(field: QueryField): FieldDef;
  where: SQL[];
  columns?: Column[];
  defaultColumns: Column[];
  order?: OrderKey[];
  defaultOrder: OrderKey[];
  /** A unique row key, the final tie-breaker; absent for summarized rows (their `by` values are unique). */
  key?: SQL;
  limit?: number;
}

/** Parses and compiles; throws a positioned QuerySyntaxError for anything the language rejects. */
export function compileQuery(text: string, options: CompileOptions): CompiledQuery {
  return compileAst(parseQuery(text), text, options);
}

export function compileAst(ast: QueryAst, text: string, options: CompileOptions): CompiledQuery {
  const table = queryTable(ast.table.name);
  if (!table) {
    const known = queryTableNames();
    throw queryError(text, ast.table.span, `unknown table '${ast.table.name}'; expected ${describeExpected(known)}`, known);
  }
  let layer = baseLayer(table, ast, text, options);
  let subqueries = 0;
  const scope = (l: Layer): ExprScope => ({ text, now: options.now, resolve: (f) => l.resolve(f) });

  for (const stage of ast.stages) {
    switch (stage.kind) {
      case 'where':
        if (layer.limit !== undefined) layer = wrapRows(layer, ++subqueries, text);
        layer.where.push(compileCondition(stage.condition, scope(layer)));
        break;
      case 'list':
        layer.columns = stage.fields.map((f) => columnOf(f.path, layer.resolve(f)));
        break;
      case 'sort':
        if (layer.limit !== undefined) layer = wrapRows(layer, ++subqueries, text);
        layer.order = stage.keys.map((k) => ({ sql: layer.resolve(k.field).sql, direction: k.direction }));
        break;
      case 'limit':
        layer.limit = Math.min(layer.limit ?? Infinity, stage.count);
        break;
      case 'summarize':
        if (layer.limit !== undefined) layer = wrapRows(layer, ++subqueries, text);
        layer = summarize(layer, stage.aggregates, stage.by, ++subqueries, scope(layer));
        break;
    }
  }

  const cap = Math.min(Math.max(1, Math.trunc(options.limit ?? queryLimits.defaultRows)), queryLimits.maxRows);
  const columns = layer.columns ?? layer.defaultColumns;
  // the query's own limit is an answer, not a truncation: only the cap fetches one extra row to detect more
  const fetch = layer.limit !== undefined && layer.limit <= cap ? layer.limit : cap + 1;
  const items = columns.map((c, i) => sql`${present(c)} as ${sql.raw(`c${i}`)}`);
  return {
    sql: selectSql(layer, items, fetch),
    columns: columns.map(({ name, type }) => ({ name, type })),
    rowLimit: Math.min(fetch, cap),
  };
}

function baseLayer(table: TableDef, ast: QueryAst, text: string, options: CompileOptions): Layer {
  const resolve = (f: QueryField): FieldDef => {
    const def = table.resolve(f.path);
    if (def) return def;
    if (f.path.startsWith('remote_action')) throw queryError(text, f.span, `expected remote_action.<action>.<output>, found '${f.path}'`, ['remote_action.<action>.<output>']);
    const hint = table.dynamicHint ? `; ${table.dynamicHint}` : '';
    throw queryError(text, f.span, `unknown field '${f.path}' in ${table.name}; known fields: ${table.knownFields.join(', ')}${hint}`, [...table.knownFields]);
  };
  const fixed = (name: string) => table.resolve(name)!;
  const where: SQL[] = [];
  if (options.scopeCondition) where.push(sql`(${options.scopeCondition})`);
  if (ast.during) {
    const since = new Date(options.now.getTime() - Math.min(ast.during.seconds, 200 * 365 * 86_400) * 1000);
    where.push(sql`(${fixed(table.timeField).sql} >= ${since.toISOString()}::timestamptz)`);
  }
  return {
    from: table.from,
    resolve,
    where,
    defaultColumns: table.defaultColumns.map((name) => columnOf(name, fixed(name))),
    defaultOrder: table.defaultSort.map((s) => ({ sql: fixed(s.field).sql, direction: s.direction })),
    key: table.key,
  };
}

/** Closes a layer into a subquery whose outputs (and sort keys, and row key) the next layer reads. */
function wrapRows(layer: Layer, n: number, text: string): Layer {
  const alias = `q${n}`;
  const columns = layer.columns ?? layer.defaultColumns;
  const order = layer.order ?? layer.defaultOrder;
  const items = [
    ...columns.map((c, i) => sql`${c.sql} as ${sql.raw(`c${i}`)}`),
    ...order.map((o, i) => sql`${o.sql} as ${sql.raw(`s${i}`)}`),
    ...(layer.key ? [sql`${layer.key} as k`] : []),
  ];
  const outer = columns.map((c, i) => ({ name: c.name, type: c.type, sql: sql.raw(`${alias}.c${i}`) }));
  return {
    from: sql`(${selectSql(layer, items, layer.limit)}) as ${sql.raw(alias)}`,
    resolve: derivedResolver(outer, text),
    where: [],
    defaultColumns: outer,
    defaultOrder: order.map((o, i) => ({ sql: sql.raw(`${alias}.s${i}`), direction: o.direction })),
    ...(layer.key ? { key: sql.raw(`${alias}.k`) } : {}),
  };
}

/** Groups a layer's rows; the result is a new layer over the grouped subquery, ordered by its `by` columns. */
function summarize(layer: Layer, aggregates: QueryAggregate[], by: QueryField[], n: number, scope: ExprScope): Layer {
  const alias = `q${n}`;
  const columns = [...by.map((f) => columnOf(f.path, layer.resolve(f))), ...aggregates.map((a) => aggregateColumn(a, scope))];
  const seen = new Set<string>();
  columns.forEach((c, i) => {
    if (seen.has(c.name)) {
      const span = i < by.length ? by[i]!.span : aggregates[i - by.length]!.span;
      throw queryError(scope.text, span, `two columns are named '${c.name}'; name one, e.g. total = count()`);
    }
    seen.add(c.name);
  });
  const items = columns.map((c, i) => sql`${c.sql} as ${sql.raw(`c${i}`)}`);
  // GROUP BY positions, not expressions: a repeated expression would carry new parameters and no longer match
  const groupBy = by.length ? sql` group by ${sql.raw(by.map((_, i) => i + 1).join(', '))}` : sql``;
  const where = layer.where.length ? sql` where ${sql.join(layer.where, sql` and `)}` : sql``;
  const outer = columns.map((c, i) => ({ name: c.name, type: c.type, sql: sql.raw(`${alias}.c${i}`) }));
  return {
    from: sql`(select ${sql.join(items, sql`, `)} from ${layer.from}${where}${groupBy}) as ${sql.raw(alias)}`,
    resolve: derivedResolver(outer, scope.text),
    where: [],
    defaultColumns: outer,
    defaultOrder: outer.slice(0, by.length).map((c) => ({ sql: c.sql, direction: 'asc' as const })),
  };
}

function aggregateColumn(agg: QueryAggregate, scope: ExprScope): Column {
  const name = agg.alias ?? (agg.field ? `${agg.fn}_${agg.field.path}` : agg.fn);
  if (agg.fn === 'count') return { name, type: 'number', sql: sql`count(*)` };
  if (agg.fn === 'countif') return { name, type: 'number', sql: sql`count(*) filter (where ${compileCondition(agg.condition!, scope)})` };
  const field = agg.field!;
  const def = scope.resolve(field);
  const fn = sql.raw(agg.fn); // one of sum/avg/min/max, from the grammar's fixed list
  if (def.type === 'number' || def.type === 'json') {
    return { name, type: 'number', sql: sql`${fn}(${def.type === 'json' ? jsonNumber(def.sql) : def.sql})` };
  }
  if ((agg.fn === 'min' || agg.fn === 'max') && (def.type === 'datetime' || def.type === 'string')) {
    return { name, type: def.type, sql: sql`${fn}(${def.sql})` };
  }
  const what = agg.fn === 'min' || agg.fn === 'max' ? 'a number, date or text field' : 'a number field';
  throw queryError(scope.text, field.span, `${agg.fn}() needs ${what}; ${field.path} is ${def.type}`);
}

function derivedResolver(columns: Column[], text: string): (f: QueryField) => FieldDef {
  return (f) => {
    const column = columns.find((c) => c.name === f.path);
    if (column) return column;
    const names = columns.map((c) => c.name);
    throw queryError(text, f.span, `'${f.path}' is not a column at this point; expected ${describeExpected(names)}`, names);
  };
}

function columnOf(name: string, def: FieldDef): Column {
  return { name, type: def.type, sql: def.sql };
}

/** How a column leaves the database: datetimes as ISO 8601 UTC text, the same from PGlite and PostgreSQL drivers. */
function present(c: Column): SQL {
  return c.type === 'datetime' ? sql`to_char(${c.sql} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')` : c.sql;
}

function selectSql(layer: Layer, items: SQL[], limit: number | undefined): SQL {
  const where = layer.where.length ? sql` where ${sql.join(layer.where, sql` and `)}` : sql``;
  const keys = [...(layer.order ?? layer.defaultOrder), ...(layer.key ? [{ sql: layer.key, direction: 'asc' as const }] : [])];
  const orderBy = keys.length
    ? sql` order by ${sql.join(
        keys.map((k) => sql`${k.sql} ${k.direction === 'desc' ? sql`desc` : sql`asc`} nulls last`),
        sql`, `,
      )}`
    : sql``;
  const limitSql = limit !== undefined ? sql` limit ${limit}` : sql``;
  return sql`select ${sql.join(items, sql`, `)} from ${layer.from}${where}${orderBy}${limitSql}`;
}
