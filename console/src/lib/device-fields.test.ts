import { formatDateTime } from '@fixpoint/protocol';
import { describe, expect, it } from 'vitest';
import { flattenFacts, outputActions, outputRows, outputTypes } from './device-fields';

describe('flattenFacts', () => {
  it('flattens nested facts to sorted dotted paths', () => {
    expect(flattenFacts({ os: { name: 'Ubuntu', kernel: '6.1' }, logged_in_user: 'ana', ips: ['10.0.0.2', '10.0.0.3'], empty: {}, gone: null })).toEqual([
      { path: 'empty', text: '{}' },
      { path: 'gone', text: '' },
      { path: 'ips', text: '10.0.0.2, 10.0.0.3' },
      { path: 'logged_in_user', text: 'ana' },
      { path: 'os.kernel', text: '6.1' },
      { path: 'os.name', text: 'Ubuntu' },
    ]);
  });

  it('formats facts by the kind their name tells', () => {
    const rows = flattenFacts({ uptime_sec: 1016, memory: { total_bytes: 17179869184 }, disk: { free_pct: 30.16 }, cpu: { cores: 8 } });
    expect(rows.map((r) => [r.path, r.text])).toEqual([
      ['cpu.cores', '8'],
      ['disk.free_pct', '30.2 %'],
      ['memory.total_bytes', '16 GB'],
      ['uptime_sec', '17 min'],
    ]);
  });

  it('shows a list of objects as a table', () => {
    const [disks] = flattenFacts({ disks: [{ mount: '/', total_bytes: 81608687616, free_pct: 12.5 }, { mount: '/home', filesystem: 'ext4' }] });
    expect(disks).toEqual({
      path: 'disks',
      text: '2 entries',
      table: { columns: ['mount', 'total_bytes', 'free_pct', 'filesystem'], rows: [['/', '76 GB', '12.5 %', ''], ['/home', '', '', 'ext4']] },
    });
  });

  it('stops at a depth and cuts long values', () => {
    expect(flattenFacts({ a: { b: { c: 1 } } }, 2)).toEqual([{ path: 'a.b', text: '{"c":1}' }]);
    expect(flattenFacts({ long: 'x'.repeat(500) })[0]!.text).toHaveLength(300);
  });
});

describe('outputRows', () => {
  it('splits the action from the output, names the query field and formats by declared type', () => {
    const types = outputTypes([{ slug: 'disk-usage', current: { outputs: [{ name: 'free_bytes', type: 'size' }, { name: 'used', type: 'ratio' }] } }]);
    expect(outputRows({ 'disk-usage.free_bytes': 81608687616, 'disk-usage.used': 0.3016, 'a.ok': true, 'a.when': '2026-01-02T03:04:00Z' }, types)).toEqual([
      { action: 'a', output: 'ok', value: 'yes', field: 'remote_action.a.ok' },
      { action: 'a', output: 'when', value: '2026-01-02T03:04:00Z', field: 'remote_action.a.when' },
      { action: 'disk-usage', output: 'free_bytes', value: '76 GB', field: 'remote_action.disk_usage.free_bytes' },
      { action: 'disk-usage', output: 'used', value: '30.2 %', field: 'remote_action.disk_usage.used' },
    ]);
    expect(outputRows({ 'a.when': '2026-01-02T03:04:00Z' }, { 'a.when': 'datetime' })[0]!.value).toBe(formatDateTime('2026-01-02T03:04:00Z'));
    expect(outputActions({ 'b.x': 1, 'a.y': 2, 'b.z': 3 })).toEqual(['a', 'b']);
  });
});
