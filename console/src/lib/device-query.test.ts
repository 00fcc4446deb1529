import type { QueryError } from '@fixpoint/protocol';
import { describe, expect, it } from 'vitest';
import { defaultDeviceColumns, errorSegments, mapQueryError, positionAt, prepareDeviceQuery, queryTableName, shiftQueryError } from './device-query';

const defaults = defaultDeviceColumns.join(', ');

describe('prepareDeviceQuery', () => {
  it('adds the default columns with the id right after the table', () => {
    expect(prepareDeviceQuery('devices').text).toBe(`devices | list id, ${defaults}`);
    expect(prepareDeviceQuery('devices | where online == true | limit 5').text).toBe(`devices | list id, ${defaults} | where online == true | limit 5`);
    expect(prepareDeviceQuery('devices during past 7d | sort name').text).toBe(`devices during past 7d | list id, ${defaults} | sort name`);
  });

  it('puts the id first in an existing list, the last one when there are several', () => {
    const p = prepareDeviceQuery('devices | list name | where x == 1 | list name, platform');
    expect(p.text).toBe('devices | list name | where x == 1 | list id, name, platform');
    expect(p).toMatchObject({ addedId: true, insertion: { at: 42, text: 'id, ' } });
  });

  it('leaves other tables, summaries, queries listing id and broken lists alone', () => {
    for (const q of [
      'executions | list id',
      'devices | summarize count() by platform',
      'devices | list name, id',
      'devices | list',
      'devices | LIST id',
      'Devices',
    ])
      expect(prepareDeviceQuery(q)).toEqual({ text: q, insertion: null, addedId: false });
  });

  it('is not fooled by pipes, commas and words inside strings or comments', () => {
    const p = prepareDeviceQuery('devices | where name == "a | list id" // | list id\n| list name');
    expect(p.text).toBe('devices | where name == "a | list id" // | list id\n| list id, name');
    expect(prepareDeviceQuery("devices | where name == 'x\\' | y'").text).toBe(`devices | list id, ${defaults} | where name == 'x\\' | y'`);
  });
});

describe('mapQueryError', () => {
  const error = (offset: number, length: number, message: string): QueryError => ({ ...positionAt('', 0), offset, length, expected: [], message, line: 1, column: offset + 1 });

  it('moves a position after the insertion back onto the typed text', () => {
    const typed = 'devices | where nope == 1';
    const p = prepareDeviceQuery(typed);
    const at = p.text.indexOf('nope');
    const mapped = mapQueryError(error(at, 4, `line 1, column ${at + 1}: unknown field 'nope'`), p);
    expect(mapped).toMatchObject({ offset: typed.indexOf('nope'), length: 4, line: 1, column: 17, message: "line 1, column 17: unknown field 'nope'" });
  });

  it('keeps positions before the insertion and counts lines', () => {
    const typed = 'devices\n| where x ==\n| list name';
    const p = prepareDeviceQuery(typed);
    expect(mapQueryError(error(3, 1, 'line 1, column 4: x'), p).offset).toBe(3);
    const end = p.text.length;
    expect(mapQueryError(error(end, 0, 'line 3, column 16: end'), p)).toMatchObject({ offset: typed.length, line: 3, column: 12, message: 'line 3, column 12: end' });
  });

  it('changes nothing when nothing was inserted', () => {
    const e = error(2, 1, 'x');
    expect(mapQueryError(e, prepareDeviceQuery('executions'))).toBe(e);
  });
});

describe('errorSegments', () => {
  it('cuts the text around the span, clamped to the text', () => {
    expect(errorSegments('devices | whre', { offset: 10, length: 4 })).toEqual({ before: 'devices | ', marked: 'whre', after: '' });
    expect(errorSegments('abc', { offset: 9, length: 3 })).toEqual({ before: 'abc', marked: '', after: '' });
  });

  it('counts columns in code points', () => {
    expect(positionAt('é😀x', 3)).toEqual({ line: 1, column: 3 });
  });
});

describe('conditions and tables', () => {
  it('moves an error in devices | where <condition> onto the condition', () => {
    const prefix = 'devices | where ';
    const e = { line: 1, column: 17, offset: 16, length: 4, expected: [], message: "line 1, column 17: unknown field 'nope'" };
    expect(shiftQueryError(e, 'nope == 1', prefix.length)).toMatchObject({ offset: 0, length: 4, column: 1, message: "line 1, column 1: unknown field 'nope'" });
    expect(shiftQueryError({ ...e, offset: 3 }, 'x', prefix.length)).toMatchObject({ offset: 0, length: 0 });
  });

  it('names the table a query starts from', () => {
    expect(queryTableName('  // all\nexecutions | limit 1')).toBe('executions');
    expect(queryTableName('| x')).toBe('');
  });
});
