import { describe, expect, it } from 'vitest';
import { flattenFacts, outputRows } from './device-fields';

describe('flattenFacts', () => {
  it('flattens nested facts to sorted dotted paths', () => {
    expect(flattenFacts({ os: { name: 'Ubuntu', kernel: '6.1' }, logged_in_user: 'ana', ips: ['10.0.0.2', '10.0.0.3'], empty: {}, gone: null })).toEqual([
      ['empty', '{}'],
      ['gone', ''],
      ['ips', '10.0.0.2, 10.0.0.3'],
      ['logged_in_user', 'ana'],
      ['os.kernel', '6.1'],
      ['os.name', 'Ubuntu'],
    ]);
  });

  it('stops at a depth and cuts long values', () => {
    expect(flattenFacts({ a: { b: { c: 1 } } }, 2)).toEqual([['a.b', '{"c":1}']]);
    expect(flattenFacts({ long: 'x'.repeat(500) })[0]![1]).toHaveLength(300);
  });
});

describe('outputRows', () => {
  it('splits the action from the output and names the query field', () => {
    expect(outputRows({ 'disk-usage.free_bytes': 1024, 'a.ok': true })).toEqual([
      { action: 'a', output: 'ok', value: 'true', field: 'remote_action.a.ok' },
      { action: 'disk-usage', output: 'free_bytes', value: '1024', field: 'remote_action.disk_usage.free_bytes' },
    ]);
  });
});
