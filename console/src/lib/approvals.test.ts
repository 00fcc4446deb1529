import { describe, expect, it } from 'vitest';
import { declarationLines, reviewOf } from './approvals';

const version = { createdBy: 'user:ines@example.com' } as Parameters<typeof reviewOf>[1]['version'];
const me = (email: string, permissions: ('actions:approve' | 'actions:edit' | 'admin')[]) => ({ kind: 'user' as const, email, permissions });

describe('reviewOf', () => {
  it('never lets authors review their own version, even as admins', () => {
    expect(reviewOf(me('ines@example.com', ['admin']), { version })).toEqual({ may: false, why: expect.stringContaining('four-eyes') });
  });
  it('lets other reviewers review, and tells everyone else what is missing', () => {
    expect(reviewOf(me('rui@example.com', ['actions:approve']), { version })).toEqual({ may: true, why: null });
    expect(reviewOf(me('rui@example.com', ['actions:edit']), { version }).why).toContain('actions:approve');
  });
});

describe('declarationLines', () => {
  it('writes parameter and output changes as the lines the version history compares', () => {
    const lines = declarationLines({
      parameters: [
        { name: 'Depth', change: 'added', before: null, after: { name: 'Depth', type: 'int', description: '', required: false, allowCustomValues: false, secret: false } },
      ],
      outputs: [
        { name: 'ok', change: 'changed', before: { name: 'ok', type: 'bool', description: '' }, after: { name: 'ok', type: 'string', description: 'now text' } },
      ],
    });
    expect(lines).toEqual([
      { change: 'added', before: null, after: 'parameter Depth (int, optional)' },
      { change: 'changed', before: 'output ok (bool)', after: 'output ok (string) — now text' },
    ]);
  });
});
