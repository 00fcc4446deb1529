import { describe, expect, it } from 'vitest';
import type { Permission } from '@fixpoint/protocol';
import type { Principal } from '../identity/rights';
import { hashScripts } from './hash';
import { actionVisibility, isVisible } from './visibility';

function principal(permissions: Permission[], runnableActions: Principal['runnableActions']): Principal {
  return {
    kind: 'user', id: 'u', name: 'u', email: null, label: 'user:u', via: 'pat', roles: [],
    permissions: new Set(permissions), runnableActions, scopes: [],
  };
}

describe('action visibility', () => {
  it('shows editors, admins and read-only principals everything', () => {
    expect(actionVisibility(principal(['actions:edit'], new Set()))).toBe('*');
    expect(actionVisibility(principal(['actions:edit', 'actions:run'], new Set(['a'])))).toBe('*');
    expect(actionVisibility(principal(['admin'], '*'))).toBe('*');
    expect(actionVisibility(principal(['devices:read'], new Set()))).toBe('*');
  });

  it('shows run-only principals their runnable actions', () => {
    const visibility = actionVisibility(principal(['actions:run'], new Set(['a'])));
    expect(isVisible(visibility, 'a')).toBe(true);
    expect(isVisible(visibility, 'b')).toBe(false);
    expect(actionVisibility(principal(['actions:run'], '*'))).toBe('*');
  });
});

describe('script hashes', () => {
  it('hashes the UTF-8 text of each present platform', () => {
    expect(hashScripts({ linux: { shell: 'sh', source: 'abc' } })).toEqual({
      linux: 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    });
    expect(Object.keys(hashScripts({ windows: { shell: 'powershell', source: '€' }, macos: { shell: 'zsh', source: 'x' } }))).toEqual(['windows', 'macos']);
  });
});
