/**
 * @module The query language: a pipe language over devices, executions, campaign responses (and tables registered
 * later), parsed to a
 * syntax tree with positioned errors and compiled to one parameterized SQL statement.
 * @example
 * const result = await runQuery(ctx, { query: 'devices | where disk.free_pct < 10 | list name, last_seen', scopeCondition });
 */
export { runQuery, type RunQueryInput } from './run';
export { parseQuery } from './parser';
export { compileQuery, compileAst, type CompileOptions, type CompiledQuery } from './compile';
export { formatQuery, referencedFields } from './ast';
export { registerQueryTable, queryTable, queryTableNames, type FieldDef, type TableDef } from './fields';
export { QuerySyntaxError } from './errors';
export { tokenize, type Token } from './lexer';
export { runScopedQuery } from './scoped';
