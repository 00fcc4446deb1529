import { describe, expect, it } from 'vitest';
import { QuerySyntaxError } from './errors';
import { tokenize } from './lexer';

const kinds = (text: string) => tokenize(text).map((t) => t.kind);
const values = (text: string) => tokenize(text).map((t) => t.value);

function errorOf(text: string) {
  try {
    tokenize(text);
  } catch (e) {
    expect(e).toBeInstanceOf(QuerySyntaxError);
    return (e as QuerySyntaxError).queryError;
  }
  throw new Error('expected an error');
}

describe('tokenize', () => {
  it('keeps dotted and dashed paths in one word', () => {
    const tokens = tokenize('remote_action.disk-usage.free_bytes < 10GB');
    expect(tokens.map((t) => [t.kind, t.text])).toEqual([
      ['word', 'remote_action.disk-usage.free_bytes'],
      ['op', '<'],
      ['size', '10GB'],
      ['eof', ''],
    ]);
  });

  it('reads sizes as binary multiples and durations as seconds', () => {
    expect(values('1KB 512MB 10GB 1.5gb 2TB 3B 1KiB')).toEqual([1024, 512 * 1024 ** 2, 10 * 1024 ** 3, 1.5 * 1024 ** 3, 2 * 1024 ** 4, 3, 1024, undefined]);
    expect(values('10s 30m 24h 7d 2w')).toEqual([10, 1800, 86_400, 604_800, 1_209_600, undefined]);
    expect(kinds('7d 10GB 42 -3.5')).toEqual(['duration', 'size', 'number', 'number', 'eof']);
    expect(values('-3.5 0')).toEqual([-3.5, 0, undefined]);
  });

  it('unescapes strings in both quote styles', () => {
    expect(values(`"a\\"b" 'it\\'s' "\\n\\t\\u00e9" "; drop table devices; --"`)).toEqual(['a"b', "it's", '\n\té', '; drop table devices; --', undefined]);
  });

  it('reads every operator and punctuation', () => {
    expect(tokenize('== != < <= > >= = | ( ) ,').map((t) => t.kind)).toEqual([
      ...Array(7).fill('op'),
      'pipe',
      'lparen',
      'rparen',
      'comma',
      'eof',
    ]);
  });

  it('skips whitespace, newlines and // comments', () => {
    expect(kinds('devices // all of them\n\t| limit 5')).toEqual(['word', 'pipe', 'word', 'number', 'eof']);
  });

  it('positions errors by line and code-point column', () => {
    expect(errorOf('devices\n| where name == "x" # y')).toMatchObject({ line: 2, column: 21, offset: 28, message: 'line 2, column 21: unexpected character "#"' });
    // an emoji is two UTF-16 units but one column
    expect(errorOf('"😀" ~')).toMatchObject({ line: 1, column: 5, offset: 5 });
  });

  it('rejects malformed literals with a position', () => {
    expect(errorOf('x == "abc').message).toBe('line 1, column 6: unterminated string');
    expect(errorOf('x == 10XB').message).toMatch(/^line 1, column 8: unknown unit 'XB'/);
    expect(errorOf('x == 1.2.3').message).toMatch(/malformed number/);
    expect(errorOf('x == 12abc_').message).toMatch(/unknown unit/);
    expect(errorOf('x == -5GB').message).toMatch(/cannot be negative/);
    expect(errorOf(`x == ${'9'.repeat(400)}`).message).toMatch(/out of range/);
    expect(errorOf('x == "\\q"').message).toMatch(/unknown escape/);
    expect(errorOf('x == "a\\u0000b"').message).toMatch(/NUL/);
    expect(errorOf('x == "\\ud800"').message).toMatch(/invalid Unicode/);
    expect(errorOf('os. == 1').message).toMatch(/expected a name after '.'/);
    expect(errorOf('a ! b').message).toMatch(/use '!=' or 'not'/);
  });
});
