/**
 * @module Compiles `where` and `countif` conditions to SQL. Literal values are always bound parameters.
 *
 * Typing rules: fixed columns accept literals of their own type and reject others with a positioned error.
 * Free-form jsonb fields (facts, outputs) are read according to the literal they are compared with: a number
 * or size reads numbers (and numeric strings), a string reads the text form, a boolean reads booleans.
 * A duration compared with a datetime means that long ago: `last_seen < 7d` is "last seen more than 7 days ago".
 * A missing value never matches a comparison (SQL null logic), except `== null`.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { CompareOp, QueryExpr, QueryField, QueryLiteral, QuerySpan } from '@fixpoint/protocol';
import { describeExpected, queryError } from './errors';
import type { FieldDef } from './fields';

/** What a condition needs: the query text (for messages), the clock, and the fields in scope. */
export interface ExprScope {
  text: string;
  now: Date;
  /** Resolves a field or throws a positioned error. */
  resolve(field: QueryField): FieldDef;
}

// Strings that are numbers; bounded so that the cast below can never fail.
const numericPattern = '^\\s*-?[0-9]{1,30}(\\.[0-9]{1,30})?([eE][-+]?[0-9]{1,3})?\\s*$';
/** The longest duration accepted where it becomes a point in time. */
const maxAgoSeconds = 200 * 365 * 86_400;
const isoDateTime = /^[1-9]\d{3}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** A jsonb value as a number: jsonb numbers, and strings that look like numbers; anything else is null. */
export function jsonNumber(v: SQL): SQL {
  return sql`(case jsonb_typeof(${v}) when 'number' then (${v})::numeric when 'string' then (case when (${v} #>> '{}') ~ ${numericPattern} then (${v} #>> '{}')::numeric end) end)`;
}

/** A jsonb scalar as text (strings, numbers, booleans); objects, arrays and null give null. */
export function jsonText(v: SQL): SQL {
  return sql`(case when jsonb_typeof(${v}) in ('string', 'number', 'boolean') then ${v} #>> '{}' end)`;
}

export function compileCondition(expr: QueryExpr, scope: ExprScope): SQL {
  switch (expr.kind) {
    case 'and':
    case 'or':
      return sql`(${sql.join(
        expr.operands.map((e) => compileCondition(e, scope)),
        expr.kind === 'and' ? sql` and ` : sql` or `,
      )})`;
    case 'not':
      return sql`(not ${compileCondition(expr.operand, scope)})`;
    case 'compare':
      return compileCompare(expr.field, scope.resolve(expr.field), expr.op, expr.value, scope);
    case 'in':
      return compileIn(expr.field, scope.resolve(expr.field), expr.values, scope);
  }
}

const opSql: Record<string, SQL> = { '==': sql`=`, '!=': sql`<>`, '<': sql`<`, '<=': sql`<=`, '>': sql`>`, '>=': sql`>=` };

function compileCompare(field: QueryField, def: FieldDef, op: CompareOp, lit: QueryLiteral, scope: ExprScope): SQL {
  const fail = (message: string, span: QuerySpan = lit.span, expected: string[] = []) => queryError(scope.text, span, message, expected);
  const col = def.sql;
  if (lit.kind === 'null') {
    if (op === '==') return def.type === 'json' ? sql`(${col} is null or jsonb_typeof(${col}) = 'null')` : sql`(${col} is null)`;
    if (op === '!=') return def.type === 'json' ? sql`(${col} is not null and jsonb_typeof(${col}) <> 'null')` : sql`(${col} is not null)`;
    throw fail(`null can only be compared with == or !=`);
  }
  const isText = op === 'contains' || op === 'startswith';
  const cmp = opSql[op];

  switch (def.type) {
    case 'string':
      if (lit.kind !== 'string') throw fail(`${field.path} is text; compare it with a string`, lit.span, ['a string']);
      if (isText) return textMatch(col, op, lit.value);
      if ((op === '==' || op === '!=') && def.values) checkValue(def, field, lit.value, lit.span, scope);
      return sql`(${col} ${cmp} ${lit.value}::text)`;
    case 'number':
      if (isText) throw fail(`${op} needs a text field; ${field.path} is a number`, field.span);
      if (lit.kind !== 'number' && lit.kind !== 'size' && lit.kind !== 'duration') throw fail(`${field.path} is a number; compare it with a number`, lit.span, ['a number']);
      return sql`(${col} ${cmp} ${String(lit.value)}::numeric)`;
    case 'boolean':
      if (lit.kind !== 'boolean') throw fail(`${field.path} is true or false; compare it with true or false`, lit.span, ["'true'", "'false'"]);
      if (op !== '==' && op !== '!=') throw fail(`use == or != with true or false`, field.span, ['==', '!=']);
      return sql`(${col} ${cmp} ${lit.value}::boolean)`;
    case 'datetime': {
      if (isText) throw fail(`${op} needs a text field; ${field.path} is a date`, field.span);
      return sql`(${col} ${cmp} ${instantOf(field, lit, scope)}::timestamptz)`;
    }
    case 'string-list':
      if (op !== 'contains') throw fail(`${field.path} is a list; use contains or in`, field.span, ["'contains'", "'in'"]);
      if (lit.kind !== 'string') throw fail(`${field.path} holds strings; compare it with a string`, lit.span, ['a string']);
      return sql`(${col} @> array[${lit.value}::text])`;
    case 'json':
      return compileJsonCompare(col, op, lit, scope, fail);
  }
}

function compileJsonCompare(v: SQL, op: CompareOp, lit: QueryLiteral, scope: ExprScope, fail: (m: string, s?: QuerySpan, e?: string[]) => Error): SQL {
  const cmp = opSql[op];
  if (op === 'contains') {
    if (lit.kind !== 'string') throw fail('contains needs a string', lit.span, ['a string']);
    // a list holds the element, or a text holds the substring (case-insensitive)
    return sql`(case jsonb_typeof(${v}) when 'array' then ${v} @> jsonb_build_array(${lit.value}::text) when 'string' then strpos(lower(${v} #>> '{}'), lower(${lit.value}::text)) > 0 end)`;
  }
  if (op === 'startswith') {
    if (lit.kind !== 'string') throw fail('startswith needs a string', lit.span, ['a string']);
    return textMatch(jsonText(v), op, lit.value);
  }
  switch (lit.kind) {
    case 'string':
      return sql`(${jsonText(v)} ${cmp} ${lit.value}::text)`;
    case 'number':
    case 'size':
      return sql`(${jsonNumber(v)} ${cmp} ${String(lit.value)}::numeric)`;
    case 'duration': {
      // numbers are durations in seconds (the output type `duration`); strings are ISO timestamps, compared as text
      const instant = instantOf({ path: '', span: lit.span }, lit, scope);
      return sql`(case jsonb_typeof(${v}) when 'number' then (${v})::numeric ${cmp} ${String(lit.value)}::numeric when 'string' then (${v} #>> '{}') ${cmp} ${instant}::text end)`;
    }
    case 'boolean':
      if (op !== '==' && op !== '!=') throw fail('use == or != with true or false', lit.span, ['==', '!=']);
      return sql`(jsonb_typeof(${v}) = 'boolean' and ${v} ${cmp} to_jsonb(${lit.value}::boolean))`;
    case 'null':
      throw fail('unreachable');
  }
}

function compileIn(field: QueryField, def: FieldDef, values: QueryLiteral[], scope: ExprScope): SQL {
  const kind = values[0]!.kind === 'size' ? 'number' : values[0]!.kind;
  for (const lit of values) {
    const k = lit.kind === 'size' ? 'number' : lit.kind;
    if (k !== kind || (k !== 'string' && k !== 'number')) {
      throw queryError(scope.text, lit.span, 'a list holds only strings or only numbers', [kind === 'number' ? 'a number' : 'a string']);
    }
  }
  const raw = values.map((l) => (l.kind === 'string' ? l.value : l.kind === 'number' || l.kind === 'size' ? String(l.value) : ''));
  const list = (cast: SQL) =>
    sql.join(
      raw.map((v) => sql`${v}${cast}`),
      sql`, `,
    );
  const mismatch = (expected: string) => queryError(scope.text, values[0]!.span, `${field.path} is ${expected}; the list must hold ${expected === 'a number' ? 'numbers' : 'strings'}`, [expected]);
  switch (def.type) {
    case 'string':
      if (kind !== 'string') throw mismatch('text');
      if (def.values) values.forEach((l, i) => checkValue(def, field, raw[i]!, l.span, scope));
      return sql`(${def.sql} in (${list(sql`::text`)}))`;
    case 'number':
      if (kind !== 'number') throw mismatch('a number');
      return sql`(${def.sql} in (${list(sql`::numeric`)}))`;
    case 'string-list':
      if (kind !== 'string') throw mismatch('a list of strings');
      // any of the values is in the list
      return sql`(${def.sql} && array[${list(sql`::text`)}])`;
    case 'json':
      return kind === 'number' ? sql`(${jsonNumber(def.sql)} in (${list(sql`::numeric`)}))` : sql`(${jsonText(def.sql)} in (${list(sql`::text`)}))`;
    default:
      throw queryError(scope.text, field.span, `in needs a text, number or list field; ${field.path} is ${def.type === 'boolean' ? 'true or false' : 'a date'}`);
  }
}

/** Case-insensitive `contains` (substring) and `startswith` on text. */
function textMatch(col: SQL, op: 'contains' | 'startswith', value: string): SQL {
  return op === 'contains' ? sql`(strpos(lower(${col}), lower(${value}::text)) > 0)` : sql`starts_with(lower(${col}), lower(${value}::text))`;
}

function checkValue(def: FieldDef, field: QueryField, value: string, span: QuerySpan, scope: ExprScope): void {
  if (def.values && !def.values.includes(value)) {
    const expected = def.values.map((v) => `"${v}"`);
    throw queryError(scope.text, span, `${field.path} is never ${JSON.stringify(value)}; expected ${describeExpected(expected)}`, expected);
  }
}

/** The ISO instant a literal stands for when compared with a datetime: a duration ago, or an ISO date or date-time. */
export function instantOf(field: QueryField, lit: QueryLiteral, scope: Pick<ExprScope, 'text' | 'now'>): string {
  if (lit.kind === 'duration') {
    if (lit.value > maxAgoSeconds) throw queryError(scope.text, lit.span, 'a duration before a date can span at most 200 years');
    return new Date(scope.now.getTime() - lit.value * 1000).toISOString();
  }
  if (lit.kind === 'string') {
    const m = isoDateTime.exec(lit.value);
    // a date-time without a zone is UTC, like a bare date
    const text = m && lit.value.length > 10 && !m[1] ? `${lit.value}Z` : lit.value;
    const ms = m ? Date.parse(text.replace(' ', 'T')) : NaN;
    if (!Number.isNaN(ms)) return new Date(ms).toISOString();
  }
  throw queryError(scope.text, lit.span, `${field.path || 'a date'} is a date; compare it with a duration such as 7d (meaning 7 days ago) or a date such as "2024-05-01"`, [
    'a duration',
    'an ISO date',
  ]);
}
