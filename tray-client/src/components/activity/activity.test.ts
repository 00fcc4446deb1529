import { afterEach, describe, expect, it } from 'vitest';
import type { ActivityEntry } from '@fixpoint/protocol';
import { $, $$, mount, record } from '../testing/fixture';

const entry = (over: Partial<ActivityEntry>): ActivityEntry => ({
  executionId: '0b0e8a8e-6a3c-4c39-9d64-3b7f4f1d2a10',
  action: 'clear-cache',
  origin: { kind: 'person', name: 'Ana Support', ticket: 'INC0012' },
  startedAt: '2026-12-01T09:30:00.000Z',
  finishedAt: '2026-12-01T09:30:05.000Z',
  status: 'succeeded',
  exitCode: 0,
  parameters: { folder: '/tmp/x', token: '***' },
  ...over,
});

afterEach(() => document.body.replaceChildren());

describe('fixpoint-activity', () => {
  it('lists each run with who launched it, the ticket, the result and hidden secrets', async () => {
    const el = await mount('fixpoint-activity', {
      language: 'en',
      entries: [
        entry({}),
        entry({ action: 'restart-spooler', origin: { kind: 'self_service', name: 'device-user:ana' }, status: 'failed', exitCode: 2, parameters: {} }),
        entry({ action: 'inventory', origin: { kind: 'schedule', name: 'schedule:1' }, status: 'running', finishedAt: null }),
        entry({ action: 'old', origin: null, status: 'refused' }),
      ],
    });
    const rows = $$(el, 'tbody tr').map((r) => [...r.querySelectorAll('td')].map((c) => c.textContent!.trim()));
    expect(rows[0]![0]).toBe('clear-cachefolder=/tmp/x, token=***');
    expect(rows[0]![1]).toBe('Ana Support');
    expect(rows[0]![3]).toBe('INC0012');
    expect(rows[0]![4]).toBe('Succeeded');
    expect(rows[1]!.slice(1)).toEqual([expect.any(String), expect.any(String), '—', 'Failed']);
    expect(rows[1]![1]).toBe('You (ana), self-service');
    expect(rows[2]![1]).toBe('A schedule');
    expect(rows[3]![1]).toBe('Not recorded');
    expect(rows[3]![4]).toBe('Refused by this computer');
    // the scrolling table is reachable from the keyboard
    expect($(el, '.scroll').getAttribute('tabindex')).toBe('0');
  });

  it('speaks the user’s language and asks for a refresh', async () => {
    const el = await mount('fixpoint-activity', { language: 'fr', entries: [] });
    expect($(el, 'h1').textContent).toBe('Activité récente');
    expect(el.shadowRoot!.textContent).toContain('Rien n’a été lancé');
    const asked = record(el, 'fixpoint-refresh');
    $(el, 'button').click();
    expect(asked).toHaveLength(1);
  });
});
