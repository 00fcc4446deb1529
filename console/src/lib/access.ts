/** @module What the signed-in caller may see: permission checks and the navigation built from them. */
import type { Me, Permission } from '@fixpoint/protocol';
import { pathFor, routeTable, type Access, type RouteName } from '../router/routes';

/** `admin` implies every permission, as on the backend. */
export function hasPermission(me: Pick<Me, 'permissions'>, permission: Permission): boolean {
  return me.permissions.includes('admin') || me.permissions.includes(permission);
}

export function canAccess(me: Pick<Me, 'permissions' | 'kind'> | null, access: Access): boolean {
  if (access === 'public') return true;
  if (!me) return false;
  if (access === 'authenticated') return true;
  if (access === 'user') return me.kind === 'user';
  if (typeof access !== 'string') return access.some((p) => hasPermission(me, p));
  return hasPermission(me, access);
}

export interface NavItem {
  route: RouteName;
  label: string;
  href: string;
}

export interface NavSection {
  label: string;
  items: NavItem[];
}

const layout: { label: string; items: [RouteName, string][] }[] = [
  { label: 'Operate', items: [['devices', 'Devices'], ['executions', 'Executions'], ['help-requests', 'Help requests'], ['actions', 'Actions'], ['approvals', 'Approvals']] },
  { label: 'Automate', items: [['campaigns', 'Campaigns'], ['schedules', 'Schedules'], ['detections', 'Detection rules']] },
  {
    label: 'Administration',
    items: [
      ['users', 'Users'],
      ['roles', 'Roles'],
      ['api-clients', 'API clients'],
      ['enrollment-tokens', 'Enrollment tokens'],
      ['agent-updates', 'Agent updates'],
      ['webhooks', 'Webhooks'],
      ['audit', 'Audit log'],
    ],
  },
  { label: 'Account', items: [['tokens', 'My access tokens']] },
];

/** The navigation for this caller: only pages it may open; empty sections are dropped. */
export function buildNav(me: Pick<Me, 'permissions' | 'kind'>): NavSection[] {
  return layout
    .map((section) => ({
      label: section.label,
      items: section.items
        .filter(([name]) => canAccess(me, routeTable.find((r) => r.name === name)!.access))
        .map(([name, label]) => ({ route: name, label, href: pathFor(name) })),
    }))
    .filter((section) => section.items.length > 0);
}

/** The navigation entry the page belongs to: the longest one its path starts with (`/actions/approvals` is not `/actions`). */
export function currentNavHref(sections: readonly NavSection[], pathname: string): string | undefined {
  const hrefs = sections.flatMap((s) => s.items.map((i) => i.href)).filter((href) => pathname === href || pathname.startsWith(`${href}/`));
  return hrefs.sort((a, b) => b.length - a.length)[0];
}

/** Where `/` leads: the first page of the navigation. */
export function homePath(me: Pick<Me, 'permissions' | 'kind'>): string {
  return buildNav(me)[0]?.items[0]?.href ?? pathFor('actions');
}
