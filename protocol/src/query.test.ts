import { describe, expect, it } from 'vitest';
import { QueryError, QueryRequest, QueryResult, queryLimits } from './query';

describe('query contracts', () => {
  it('bounds the request', () => {
    expect(QueryRequest.parse({ query: 'devices', limit: 50 })).toEqual({ query: 'devices', limit: 50 });
    expect(QueryRequest.safeParse({ query: 'x'.repeat(queryLimits.maxQueryBytes) }).success).toBe(true);
    // UTF-8 bytes, not characters
    expect(QueryRequest.safeParse({ query: 'é'.repeat(queryLimits.maxQueryBytes / 2 + 1) }).success).toBe(false);
    expect(QueryRequest.safeParse({ query: '' }).success).toBe(false);
    expect(QueryRequest.safeParse({ query: 'devices', limit: queryLimits.maxRows + 1 }).success).toBe(false);
    expect(QueryRequest.safeParse({ query: 'devices', limit: 1.5 }).success).toBe(false);
    expect(QueryRequest.safeParse({ query: 'devices', sql: 'select 1' }).success).toBe(false);
    expect(QueryRequest.safeParse({ query: 5 }).success).toBe(false);
  });

  it('describes results and positioned errors', () => {
    expect(QueryResult.parse({ columns: [{ name: 'n', type: 'number' }], rows: [[1]], truncated: false, elapsedMs: 1.5 }).rows).toEqual([[1]]);
    expect(QueryResult.safeParse({ columns: [{ name: 'n', type: 'bigint' }], rows: [], truncated: false, elapsedMs: 0 }).success).toBe(false);
    const error = { line: 1, column: 24, offset: 23, length: 5, expected: ['=='], message: "line 1, column 24: expected a comparison operator, found 'linux'" };
    expect(QueryError.parse(error)).toEqual(error);
    expect(QueryError.safeParse({ ...error, line: 0 }).success).toBe(false);
  });
});
