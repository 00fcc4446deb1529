import { describe, expect, it } from 'vitest';
import { queryLimits, type QueryAst } from '@fixpoint/protocol';
import { formatQuery, referencedFields } from './ast';
import { QuerySyntaxError } from './errors';
import { parseQuery } from './parser';

function errorOf(text: string) {
  try {
    parseQuery(text);
  } catch (e) {
    expect(e).toBeInstanceOf(QuerySyntaxError);
    expect((e as QuerySyntaxError).status).toBe(400);
    return (e as QuerySyntaxError).queryError;
  }
  throw new Error(`expected an error for ${text}`);
}

/** The tree without positions, for structural comparison. */
const shape = (ast: QueryAst) => JSON.parse(JSON.stringify(ast, (k, v) => (k === 'span' ? undefined : v)));

describe('parseQuery', () => {
  it('parses the device example into stages', () => {
    const ast = parseQuery('devices | where os.platform == "linux" and disk.free_pct < 10 | list name, os.version, last_seen | sort last_seen desc | limit 50');
    expect(shape(ast)).toEqual({
      table: { name: 'devices' },
      stages: [
        {
          kind: 'where',
          condition: {
            kind: 'and',
            operands: [
              { kind: 'compare', field: { path: 'os.platform' }, op: '==', value: { kind: 'string', value: 'linux' } },
              { kind: 'compare', field: { path: 'disk.free_pct' }, op: '<', value: { kind: 'number', value: 10 } },
            ],
          },
        },
        { kind: 'list', fields: [{ path: 'name' }, { path: 'os.version' }, { path: 'last_seen' }] },
        { kind: 'sort', keys: [{ field: { path: 'last_seen' }, direction: 'desc' }] },
        { kind: 'limit', count: 50 },
      ],
    });
    const where = ast.stages[0]!;
    expect(where.span).toEqual({ offset: 10, length: 51 });
  });

  it('parses during, summarize with aliases, countif and by', () => {
    const ast = parseQuery('executions during past 24h | summarize n = count(), failed = countif(status == "failed"), avg(duration) by device.os.platform, action');
    expect(ast.during).toMatchObject({ seconds: 86_400, text: '24h' });
    expect(shape(ast).stages[0]).toEqual({
      kind: 'summarize',
      aggregates: [
        { fn: 'count', alias: 'n' },
        { fn: 'countif', alias: 'failed', condition: { kind: 'compare', field: { path: 'status' }, op: '==', value: { kind: 'string', value: 'failed' } } },
        { fn: 'avg', field: { path: 'duration' } },
      ],
      by: [{ path: 'device.os.platform' }, { path: 'action' }],
    });
  });

  it('gives and precedence over or, and flattens chains', () => {
    const ast = parseQuery('devices | where a == 1 or b == 2 and c == 3 or not d == 4');
    const cond = (ast.stages[0] as { condition: any }).condition;
    expect(cond.kind).toBe('or');
    expect(cond.operands.map((o: any) => o.kind)).toEqual(['compare', 'and', 'not']);
  });

  it('reads in-lists, negated predicates, ago, null, booleans and sizes', () => {
    const ast = parseQuery(
      'devices | where platform in ("linux", "macos") and tags not contains "lab" and name startswith "pc-" and last_seen < 7d ago and facts.x == null and online == true and remote_action.disk-usage.free_bytes >= 1.5GB',
    );
    const ops = (ast.stages[0] as any).condition.operands;
    expect(ops.map((o: any) => o.kind)).toEqual(['in', 'not', 'compare', 'compare', 'compare', 'compare', 'compare']);
    expect(ops[1].operand).toMatchObject({ op: 'contains', value: { value: 'lab' } });
    expect(ops[3].value).toMatchObject({ kind: 'duration', value: 7 * 86_400 });
    expect(ops[6].value).toMatchObject({ kind: 'size', value: 1.5 * 1024 ** 3 });
  });

  it('accepts keywords in any case', () => {
    expect(formatQuery(parseQuery('DEVICES | WHERE Name == "a" AND NOT online == TRUE | SORT name DESC | LIMIT 3'))).toBe(
      'devices | where Name == "a" and not online == true | sort name desc | limit 3'.replace('devices', 'DEVICES'),
    );
  });

  it('round-trips through formatQuery', () => {
    for (const text of [
      'devices | where (a == 1 or b == 2) and not (c != "x" and d in (1, 2)) | list a, b | sort a asc, b desc | limit 5',
      'executions during past 7d | summarize count(), total = sum(duration) by device.platform',
      'devices | where name contains "\\"quoted\\" \\n" | summarize countif(x > 10GB or y < 30m)',
    ]) {
      const ast = parseQuery(text);
      expect(shape(parseQuery(formatQuery(ast)))).toEqual(shape(ast));
    }
  });

  it('lists the fields a query reads', () => {
    const ast = parseQuery('devices | where a == 1 and not b in (1) | summarize countif(c == 1), sum(d) by e | sort count');
    expect(referencedFields(ast).map((f) => f.path)).toEqual(['a', 'b', 'c', 'd', 'e', 'count']);
  });

  it('names line, column and what was expected', () => {
    expect(errorOf('devices | where os.platform linux')).toEqual({
      line: 1,
      column: 29,
      offset: 28,
      length: 5,
      expected: ['==', '!=', '<', '<=', '>', '>=', "'in'", "'contains'", "'startswith'"],
      message: "line 1, column 29: expected a comparison operator, found 'linux'",
    });
    expect(errorOf('devices\n| where name = "x"').message).toBe("line 2, column 14: expected a comparison operator, found '='; use '==' to compare");
    expect(errorOf('devices | where').message).toBe('line 1, column 16: expected a field name, found end of query');
    expect(errorOf('devices | select name').message).toBe("line 1, column 11: expected 'where', 'list', 'sort', 'limit' or 'summarize', found 'select'");
    expect(errorOf('devices | sort name up').message).toBe("line 1, column 21: expected '|' or end of query, found 'up'");
    expect(errorOf('devices | limit 0').expected).toEqual(['a positive whole number']);
    expect(errorOf('devices | limit 2.5').expected).toEqual(['a positive whole number']);
    expect(errorOf('devices during 24h').expected).toEqual(["'past'"]);
    expect(errorOf('devices during past 10GB').expected).toEqual(['a duration such as 24h or 7d']);
    expect(errorOf('devices | where x == and').expected).toContain('a string');
    expect(errorOf('devices | where (x == 1').message).toMatch(/expected '\)', 'and' or 'or', found end of query/);
    expect(errorOf('devices | summarize total(x)').expected).toContain('count()');
    expect(errorOf('devices | summarize a.b = count()').message).toMatch(/'a.b' cannot name a column/);
    expect(errorOf('devices | summarize and = count()').message).toMatch(/'and' cannot name a column/);
    expect(errorOf('devices | where x in ()').expected).toContain('a number');
    expect(errorOf('devices | where and == 1').expected).toEqual(['a field name']);
    expect(errorOf('| where x == 1').expected).toEqual(['a table name']);
    expect(errorOf('devices where').expected).toEqual(["'during'", "'|'", 'end of query']);
  });

  it('limits nesting depth with a positioned error', () => {
    const depth = queryLimits.maxDepth;
    expect(() => parseQuery(`devices | where ${'('.repeat(depth)}x == 1${')'.repeat(depth)}`)).not.toThrow();
    const err = errorOf(`devices | where ${'('.repeat(depth + 1)}x == 1${')'.repeat(depth + 1)}`);
    expect(err).toMatchObject({ line: 1, column: 17 + depth, message: expect.stringMatching(/nesting deeper than 32 levels/) });
    expect(errorOf(`devices | where ${'not '.repeat(100)}x == 1`).message).toMatch(/nesting deeper/);
  });

  it('limits the number of stages and the size of the text', () => {
    expect(errorOf(`devices${' | limit 1'.repeat(queryLimits.maxStages + 1)}`).message).toMatch(/at most 32 stages/);
    const long = `devices | where name == "${'x'.repeat(queryLimits.maxQueryBytes)}"`;
    expect(errorOf(long)).toMatchObject({ line: 1, column: queryLimits.maxQueryBytes + 1, message: expect.stringMatching(/longer than 10240 bytes/) });
    // multi-byte characters count as their UTF-8 length
    expect(errorOf(`devices | where name == "${'é'.repeat(6000)}"`).message).toMatch(/longer than/);
  });
});
