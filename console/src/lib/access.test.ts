import type { Me } from '@fixpoint/protocol';
import { describe, expect, it } from 'vitest';
import { buildNav, canAccess, currentNavHref, hasPermission, homePath } from './access';

const who = (permissions: Me['permissions'], kind: Me['kind'] = 'user') => ({ kind, permissions });
const labels = (nav: ReturnType<typeof buildNav>) => nav.map((s) => `${s.label}: ${s.items.map((i) => i.label).join(', ')}`);

describe('permissions', () => {
  it('lets admin imply every permission', () => {
    expect(hasPermission(who(['admin']), 'actions:edit')).toBe(true);
    expect(hasPermission(who(['actions:run']), 'actions:edit')).toBe(false);
  });

  it('checks page access by kind and permission', () => {
    expect(canAccess(null, 'public')).toBe(true);
    expect(canAccess(null, 'authenticated')).toBe(false);
    expect(canAccess(who([], 'client'), 'user')).toBe(false);
    expect(canAccess(who([]), 'user')).toBe(true);
    expect(canAccess(who(['devices:read']), 'admin')).toBe(false);
    expect(canAccess(who(['actions:approve']), ['actions:approve', 'actions:edit'])).toBe(true);
    expect(canAccess(who(['actions:edit']), ['actions:approve', 'actions:edit'])).toBe(true);
    expect(canAccess(who(['actions:run']), ['actions:approve', 'actions:edit'])).toBe(false);
  });
});

describe('buildNav', () => {
  it('shows an admin every section', () => {
    expect(labels(buildNav(who(['admin'])))).toEqual([
      'Operate: Devices, Executions, Help requests, Actions, Approvals',
      'Automate: Campaigns, Schedules, Detection rules',
      'Administration: Users, Roles, API clients, Enrollment tokens, Agent updates, Webhooks, Audit log',
      'Account: My access tokens',
    ]);
  });

  it('shows a support agent no administration', () => {
    expect(labels(buildNav(who(['actions:run', 'devices:read', 'campaigns:trigger'])))).toEqual([
      'Operate: Devices, Executions, Help requests, Actions',
      'Automate: Campaigns, Schedules, Detection rules',
      'Account: My access tokens',
    ]);
  });

  it('shows pages by permission', () => {
    expect(labels(buildNav(who(['devices:read'])))[0]).toBe('Operate: Devices, Executions, Help requests, Actions');
    // Executions are device data: without devices:read only the library and campaigns remain.
    expect(labels(buildNav(who(['actions:run'])))).toEqual(['Operate: Actions', 'Automate: Campaigns', 'Account: My access tokens']);
  });

  it('gives API clients no account section', () => {
    expect(labels(buildNav(who(['actions:run'], 'client')))).toEqual(['Operate: Actions', 'Automate: Campaigns']);
  });

  it('marks the most specific entry a page belongs to', () => {
    const nav = buildNav(who(['admin']));
    expect(currentNavHref(nav, '/actions/approvals')).toBe('/actions/approvals');
    expect(currentNavHref(nav, '/actions/collect-disk/history')).toBe('/actions');
    expect(currentNavHref(nav, '/actionsx')).toBeUndefined();
  });

  it('starts at the first page the caller may open', () => {
    expect(homePath(who(['actions:run']))).toBe('/actions');
    expect(homePath(who(['devices:read']))).toBe('/devices');
  });
});
