/**
 * @module The query language's wire contracts: the request, the tabular result, the positioned error, and the
 * syntax tree the parser produces (so clients can highlight and inspect queries without re-implementing the grammar).
 */
import { z } from 'zod';
import { OutputType } from './actions';
import { utf8Length } from './common';

/** Bounds every query obeys, wherever it comes from (API, console, detection rules, schedules). */
export const queryLimits = {
  /** Longest accepted query text, in UTF-8 bytes. */
  maxQueryBytes: 10 * 1024,
  /** Rows returned when the request names no limit. */
  defaultRows: 1000,
  /** Hard cap on returned rows, even with a larger `limit` stage. */
  maxRows: 10_000,
  /** Deepest nesting of parentheses and `not`. */
  maxDepth: 32,
  /** Most stages after the table name. */
  maxStages: 32,
  /** Most fields in one `list`, `sort` or `by`, and most aggregates in one `summarize`. */
  maxItems: 100,
  defaultTimeoutMs: 10_000,
  maxTimeoutMs: 60_000,
} as const;

export const QueryRequest = z.strictObject({
  query: z
    .string()
    .min(1)
    .refine((q) => utf8Length(q) <= queryLimits.maxQueryBytes, `longer than ${queryLimits.maxQueryBytes} bytes`),
  /** Most rows to return (default 1000, at most 10,000); `truncated` says when more existed. */
  limit: z.number().int().min(1).max(queryLimits.maxRows).optional(),
});
export type QueryRequest = z.infer<typeof QueryRequest>;

/**
 * Column types. Datetimes are ISO 8601 UTC strings, sizes are bytes and durations seconds (both `number`),
 * `json` is a free-form agent fact or action output, returned as stored.
 */
export const QueryColumnType = z.enum(['string', 'number', 'boolean', 'datetime', 'string-list', 'json']);
export type QueryColumnType = z.infer<typeof QueryColumnType>;

export const QueryColumn = z.object({
  name: z.string(),
  type: QueryColumnType,
  /** For `remote_action.<action>.<output>`: the type the action's latest version declares for that output. */
  outputType: OutputType.optional(),
});
export type QueryColumn = z.infer<typeof QueryColumn>;

export const QueryResult = z.object({
  columns: z.array(QueryColumn),
  /** One array per row, in `columns` order. */
  rows: z.array(z.array(z.unknown())),
  /** More rows matched than the row limit let through. */
  truncated: z.boolean(),
  elapsedMs: z.number(),
});
export type QueryResult = z.infer<typeof QueryResult>;

/**
 * A query the language rejects, at a position: `line` and `column` are 1-based (columns count Unicode code points),
 * `offset` and `length` are UTF-16 indexes into the query text, for editors. `expected` lists what would have been
 * accepted there, for hints and completion. Sent as the `details` of a 400 `bad_request`.
 */
export const QueryError = z.object({
  line: z.number().int().min(1),
  column: z.number().int().min(1),
  offset: z.number().int().min(0),
  length: z.number().int().min(0),
  expected: z.array(z.string()),
  message: z.string(),
});
export type QueryError = z.infer<typeof QueryError>;

// ── syntax tree ───────────────────────────────────────────────────────────────
// Plain types rather than schemas: trees are produced by the parser, never accepted from the wire.

/** Where a node sits in the query text (UTF-16 offset and length). */
export interface QuerySpan {
  offset: number;
  length: number;
}

/**
 * A literal. `size` values are bytes (binary multiples: 1KB = 1024), `duration` values seconds;
 * `text` keeps what was written, for messages and printing.
 */
export type QueryLiteral =
  | { kind: 'string'; value: string; span: QuerySpan }
  | { kind: 'number'; value: number; span: QuerySpan }
  | { kind: 'size'; value: number; text: string; span: QuerySpan }
  | { kind: 'duration'; value: number; text: string; span: QuerySpan }
  | { kind: 'boolean'; value: boolean; span: QuerySpan }
  | { kind: 'null'; span: QuerySpan };

/** A field as written, e.g. `os.platform`, `disk.free_pct`, `remote_action.disk-usage.free_bytes`. */
export interface QueryField {
  path: string;
  span: QuerySpan;
}

export const compareOps = ['==', '!=', '<', '<=', '>', '>=', 'contains', 'startswith'] as const;
export type CompareOp = (typeof compareOps)[number];

export type QueryExpr =
  | { kind: 'and' | 'or'; operands: QueryExpr[]; span: QuerySpan }
  | { kind: 'not'; operand: QueryExpr; span: QuerySpan }
  | { kind: 'compare'; field: QueryField; op: CompareOp; value: QueryLiteral; span: QuerySpan }
  | { kind: 'in'; field: QueryField; values: QueryLiteral[]; span: QuerySpan };

export const aggregateFns = ['count', 'countif', 'sum', 'avg', 'min', 'max'] as const;
export type AggregateFn = (typeof aggregateFns)[number];

/** `count()`, `countif(<expr>)`, or `sum|avg|min|max(<field>)`, optionally named: `failed = countif(...)`. */
export interface QueryAggregate {
  fn: AggregateFn;
  field?: QueryField;
  condition?: QueryExpr;
  alias?: string;
  span: QuerySpan;
}

export interface QuerySortKey {
  field: QueryField;
  direction: 'asc' | 'desc';
}

export type QueryStage =
  | { kind: 'where'; condition: QueryExpr; span: QuerySpan }
  | { kind: 'list'; fields: QueryField[]; span: QuerySpan }
  | { kind: 'sort'; keys: QuerySortKey[]; span: QuerySpan }
  | { kind: 'limit'; count: number; span: QuerySpan }
  | { kind: 'summarize'; aggregates: QueryAggregate[]; by: QueryField[]; span: QuerySpan };

/** A whole query: `<table> [during past <duration>] (| <stage>)*`. */
export interface QueryAst {
  table: { name: string; span: QuerySpan };
  during?: { seconds: number; text: string; span: QuerySpan };
  stages: QueryStage[];
}
