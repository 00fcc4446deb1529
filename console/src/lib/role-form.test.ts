import type { Role } from '@fixpoint/protocol';
import { describe, expect, it } from 'vitest';
import { describeRunnable, describeScope, emptyRoleForm, formFromRole, roleInputFromForm } from './role-form';

const role: Role = {
  id: '00000000-0000-4000-8000-000000000001',
  name: 'helpdesk',
  description: 'Paris',
  permissions: ['actions:run'],
  runnableActions: ['restart-spooler'],
  deviceScope: { all: false, tags: ['site:paris'], platforms: ['windows'], queries: ['00000000-0000-4000-8000-000000000009'] },
  editImpliesRun: true,
  builtIn: false,
  createdAt: '2024-01-01T00:00:00.000Z',
};

describe('role form', () => {
  it('round-trips a role', () => {
    const form = formFromRole(role);
    expect(form).toMatchObject({ allActions: false, allDevices: false, tags: 'site:paris', queries: ['00000000-0000-4000-8000-000000000009'], editImpliesRun: true });
    const { id: _id, builtIn: _b, createdAt: _c, ...input } = role;
    expect(roleInputFromForm(form)).toEqual({ ok: true, input });
  });

  it('sends "*" for every action and an unrestricted scope for every device', () => {
    const result = roleInputFromForm({ ...emptyRoleForm(), name: 'ops', allActions: true, runnableActions: ['x'], tags: 'ignored' });
    expect(result).toMatchObject({ ok: true, input: { runnableActions: ['*'], deviceScope: { all: true, tags: [], platforms: [] } } });
  });

  it('reports bad names and tags, and a scope that reaches nothing', () => {
    const bad = roleInputFromForm({ ...emptyRoleForm(), name: 'Ops Team', allDevices: false, tags: 'Site Paris' });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(Object.keys(bad.errors)).toEqual(expect.arrayContaining(['name', 'deviceScope.tags.0']));
    const empty = roleInputFromForm({ ...emptyRoleForm(), name: 'ops', allDevices: false });
    expect(empty).toMatchObject({ ok: false, errors: { 'deviceScope.tags': expect.stringMatching(/at least one tag/) } });
  });

  it('keeps "@manual" (every action launchable by hand) apart from the listed actions, and describes it', () => {
    const support = { ...role, name: 'support', runnableActions: ['@manual', 'portal-reset'] };
    const form = formFromRole(support);
    expect(form).toMatchObject({ allActions: false, manualActions: true, runnableActions: ['portal-reset'] });
    expect(roleInputFromForm(form)).toMatchObject({ ok: true, input: { runnableActions: ['@manual', 'portal-reset'] } });
    expect(roleInputFromForm({ ...form, manualActions: false })).toMatchObject({ ok: true, input: { runnableActions: ['portal-reset'] } });
    expect(describeRunnable(['@manual'])).toBe('every action launchable by hand');
    expect(describeRunnable(['@manual', 'portal-reset'])).toBe('every action launchable by hand, portal-reset');
    expect(describeRunnable(['*', '@manual'])).toBe('every action');
    expect(describeRunnable([])).toBe('none');
  });

  it('describes scopes for the roles table', () => {
    expect(describeScope(role.deviceScope, { '00000000-0000-4000-8000-000000000009': 'Paris laptops' })).toBe('tags site:paris · windows · queries Paris laptops');
    expect(describeScope({ all: true, tags: [], platforms: [], queries: [] })).toBe('every device');
  });

  it('accepts a scope made of saved queries alone, and leaves "may run what they may edit" off by default', () => {
    expect(emptyRoleForm().editImpliesRun).toBe(false);
    const result = roleInputFromForm({ ...emptyRoleForm(), name: 'ops', allDevices: false, queries: ['00000000-0000-4000-8000-000000000009'] });
    expect(result).toMatchObject({ ok: true, input: { deviceScope: { all: false, queries: ['00000000-0000-4000-8000-000000000009'] }, editImpliesRun: false } });
  });
});
