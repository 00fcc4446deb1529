/**
 * @module Helpers over the syntax tree (whose types live in `@fixpoint/protocol`): printing a tree back to canonical
 * text, and listing the fields a query reads (detection rules use it to know which device changes matter).
 */
import type { QueryAggregate, QueryAst, QueryExpr, QueryField, QueryLiteral, QueryStage } from '@fixpoint/protocol';

export type { QueryAst, QueryField, QueryLiteral } from '@fixpoint/protocol';

/**
 * Prints a tree as canonical query text: lower-case keywords, single spaces, double-quoted strings.
 * `parseQuery(formatQuery(ast))` yields the same tree up to spans.
 * @example formatQuery(parseQuery('DEVICES|WHERE name=="a"')) // 'devices | where name == "a"'
 */
export function formatQuery(ast: QueryAst): string {
  let text = ast.table.name;
  if (ast.during) text += ` during past ${ast.during.text}`;
  for (const stage of ast.stages) text += ` | ${formatStage(stage)}`;
  return text;
}

function formatStage(stage: QueryStage): string {
  switch (stage.kind) {
    case 'where':
      return `where ${formatExpr(stage.condition)}`;
    case 'list':
      return `list ${stage.fields.map((f) => f.path).join(', ')}`;
    case 'sort':
      return `sort ${stage.keys.map((k) => `${k.field.path} ${k.direction}`).join(', ')}`;
    case 'limit':
      return `limit ${stage.count}`;
    case 'summarize': {
      const by = stage.by.length ? ` by ${stage.by.map((f) => f.path).join(', ')}` : '';
      return `summarize ${stage.aggregates.map(formatAggregate).join(', ')}${by}`;
    }
  }
}

function formatAggregate(agg: QueryAggregate): string {
  const arg = agg.condition ? formatExpr(agg.condition) : (agg.field?.path ?? '');
  return `${agg.alias ? `${agg.alias} = ` : ''}${agg.fn}(${arg})`;
}

/** Prints an expression, adding parentheses only where precedence needs them (`not` > `and` > `or`). */
function formatExpr(expr: QueryExpr, parent: 'or' | 'and' | 'not' | 'top' = 'top'): string {
  switch (expr.kind) {
    case 'or':
    case 'and': {
      const inner = expr.operands.map((e) => formatExpr(e, expr.kind)).join(` ${expr.kind} `);
      const needs = parent === 'not' || (parent === 'and' && expr.kind === 'or') || parent === expr.kind;
      return needs ? `(${inner})` : inner;
    }
    case 'not':
      return `not ${formatExpr(expr.operand, 'not')}`;
    case 'compare':
      return `${expr.field.path} ${expr.op} ${formatLiteral(expr.value)}`;
    case 'in':
      return `${expr.field.path} in (${expr.values.map(formatLiteral).join(', ')})`;
  }
}

export function formatLiteral(lit: QueryLiteral): string {
  switch (lit.kind) {
    case 'string':
      return JSON.stringify(lit.value);
    case 'number':
      return String(lit.value);
    case 'size':
    case 'duration':
      return lit.text;
    case 'boolean':
      return String(lit.value);
    case 'null':
      return 'null';
  }
}

/** Every field a query reads, in order of appearance (duplicates kept, so spans stay available). */
export function referencedFields(ast: QueryAst): QueryField[] {
  const out: QueryField[] = [];
  const visit = (e: QueryExpr): void => {
    if (e.kind === 'not') visit(e.operand);
    else if (e.kind === 'compare' || e.kind === 'in') out.push(e.field);
    else e.operands.forEach(visit);
  };
  for (const stage of ast.stages) {
    if (stage.kind === 'where') visit(stage.condition);
    else if (stage.kind === 'list') out.push(...stage.fields);
    else if (stage.kind === 'sort') out.push(...stage.keys.map((k) => k.field));
    else if (stage.kind === 'summarize') {
      for (const agg of stage.aggregates) {
        if (agg.field) out.push(agg.field);
        if (agg.condition) visit(agg.condition);
      }
      out.push(...stage.by);
    }
  }
  return out;
}
