import { describe, expect, it } from 'vitest';
import { sampleAction, sampleActionWithVersion, sampleDevice, sampleExecution, sampleMe } from './testing/samples';
import { allowsTrigger, confirmationCount, confirmsCount, formatSummary, outputRows, keyFacts, pickDevice, selectRunnableActions, statusTone } from './launcher-logic';

describe('selectRunnableActions', () => {
  const actions = [
    sampleAction({ slug: 'restart-vpn', name: 'Restart VPN client' }),
    sampleAction({ slug: 'flush-dns', name: 'Flush DNS', platforms: ['linux'] }),
    sampleAction({ slug: 'wipe-disk', name: 'Wipe disk' }),
    sampleAction({ slug: 'old', name: 'Old', archived: true }),
  ];

  it('keeps the actions the roles allow, for the device platform', () => {
    expect(selectRunnableActions(actions, sampleMe(), 'windows').map((a) => a.slug)).toEqual(['restart-vpn']);
    expect(selectRunnableActions(actions, sampleMe(), 'linux').map((a) => a.slug)).toEqual(['flush-dns']);
  });

  it('lets admins and "*" run everything that is not archived', () => {
    expect(selectRunnableActions(actions, sampleMe({ runnableActions: ['*'] })).map((a) => a.slug)).toEqual(['flush-dns', 'restart-vpn', 'wipe-disk']);
    expect(selectRunnableActions(actions, sampleMe({ permissions: ['admin'], runnableActions: [] }), 'windows')).toHaveLength(2);
  });

  it('gives nothing without the run permission', () => {
    expect(selectRunnableActions(actions, sampleMe({ permissions: ['devices:read'] }))).toEqual([]);
  });
});

describe('pickDevice', () => {
  const a = sampleDevice({ name: 'LT-ABEL-0042' });
  const b = sampleDevice({ id: '7d0f3c1e-2b4a-4e6f-8a9b-0c1d2e3f4a5b', name: 'LT-ABEL-00421' });
  it('settles only on a single candidate, never between several, even when one name matches exactly', () => {
    expect(pickDevice([b])).toBe(b);
    expect(pickDevice([b, a])).toBeUndefined();
    expect(pickDevice([a, sampleDevice({ id: b.id, name: 'lt-abel-0042.corp.example' })])).toBeUndefined();
    expect(pickDevice([a, sampleDevice({ id: b.id, name: 'lt-abel-0042' })])).toBeUndefined();
    expect(pickDevice([])).toBeUndefined();
  });
});

describe('presentation', () => {
  it('lists key facts in a stable order', () => {
    expect(keyFacts(sampleDevice())).toEqual([['OS', 'Windows 11 23H2'], ['Model', 'Latitude 7440'], ['User', 'abel.tuter'], ['IP', '10.1.2.3']]);
  });

  it('formats outputs by their declared type, undeclared ones by what they are', () => {
    const execution = sampleExecution({ outputs: { free: 17179869184, used: 0.256, took: 0.042, extra: 94_500_000 } });
    const decls = [
      { name: 'free', type: 'size' as const, description: '' },
      { name: 'used', type: 'ratio' as const, description: '' },
      { name: 'took', type: 'duration' as const, description: '' },
    ];
    expect(outputRows(execution, decls)).toEqual([['free', '16 GB'], ['used', '25.6 %'], ['took', '42 ms'], ['extra', '94500000']]);
  });

  it('summarizes a run for the ticket', () => {
    const text = formatSummary(sampleActionWithVersion(), sampleDevice(), sampleExecution());
    expect(text).toContain('Fixpoint: Restart VPN client on LT-ABEL-0042 — Succeeded');
    expect(text).toContain('connected: yes');
    expect(text).toContain('latency: 42 ms');
    expect(text).toContain('Exit code: 0');
  });

  it('tells the status tone and whether a trigger is allowed', () => {
    expect(statusTone('running')).toBe('busy');
    expect(statusTone('expired')).toBe('bad');
    expect(allowsTrigger(sampleActionWithVersion(), 'extension')).toBe(true);
    expect(allowsTrigger(sampleActionWithVersion({ triggers: ['manual'] }), 'extension')).toBe(false);
  });
});

describe('counted confirmation', () => {
  it('reads the count a 409 confirmation_required asks for, and nothing from other errors', () => {
    expect(confirmationCount({ code: 'confirmation_required', details: { deviceCount: 612 } })).toBe(612);
    expect(confirmationCount({ code: 'conflict', details: { deviceCount: 612 } })).toBeNull();
    expect(confirmationCount({ code: 'confirmation_required', details: { deviceCount: '612' } })).toBeNull();
    expect(confirmationCount(null)).toBeNull();
  });

  it('accepts only the exact number, with thousands separators', () => {
    expect(confirmsCount('1,200', 1200)).toBe(true);
    expect(confirmsCount(' 1200 ', 1200)).toBe(true);
    expect(confirmsCount('1199', 1200)).toBe(false);
    expect(confirmsCount('12OO', 1200)).toBe(false);
    expect(confirmsCount('', 1200)).toBe(false);
  });
});
