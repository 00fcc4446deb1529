/** @module The console's pages: path patterns, titles and who may open them. Pure, so matching and access are unit-tested. */
import type { Permission } from '@fixpoint/protocol';

/** Who may open a page: anyone, any signed-in caller, a signed-in user (not an API client), or a holder of (any of) the permissions. */
export type Access = 'public' | 'authenticated' | 'user' | Permission | readonly Permission[];

export const routeNames = [
  'login',
  'home',
  'actions',
  'action-new',
  'action-import',
  'approvals',
  'action',
  'action-history',
  'devices',
  'device',
  'saved-queries',
  'help-requests',
  'executions',
  'execution',
  'request',
  'campaigns',
  'campaign-new',
  'campaign',
  'campaign-edit',
  'schedules',
  'schedule-new',
  'schedule',
  'detections',
  'detection-new',
  'detection',
  'users',
  'roles',
  'role-new',
  'role',
  'api-clients',
  'webhooks',
  'webhook',
  'enrollment-tokens',
  'agent-updates',
  'audit',
  'tokens',
] as const;
export type RouteName = (typeof routeNames)[number];

export interface RouteDef {
  name: RouteName;
  /** `/actions/:id`-style pattern; parameters match one path segment. */
  pattern: string;
  title: string;
  access: Access;
}

export const routeTable: readonly RouteDef[] = [
  { name: 'login', pattern: '/login', title: 'Sign in', access: 'public' },
  { name: 'home', pattern: '/', title: 'Home', access: 'authenticated' },
  { name: 'actions', pattern: '/actions', title: 'Actions', access: 'authenticated' },
  { name: 'action-new', pattern: '/actions/new', title: 'New action', access: 'actions:edit' },
  { name: 'action-import', pattern: '/actions/import', title: 'Import an action', access: 'actions:edit' },
  // reviewers see every version awaiting approval, authors their own
  { name: 'approvals', pattern: '/actions/approvals', title: 'Approvals', access: ['actions:approve', 'actions:edit'] },
  { name: 'action', pattern: '/actions/:slug', title: 'Action', access: 'authenticated' },
  { name: 'action-history', pattern: '/actions/:slug/history', title: 'Version history', access: 'authenticated' },
  { name: 'devices', pattern: '/devices', title: 'Devices', access: 'devices:read' },
  { name: 'device', pattern: '/devices/:id', title: 'Device', access: 'devices:read' },
  { name: 'saved-queries', pattern: '/saved-queries', title: 'Saved queries', access: 'devices:read' },
  { name: 'help-requests', pattern: '/help-requests', title: 'Help requests', access: 'devices:read' },
  { name: 'executions', pattern: '/executions', title: 'Executions', access: 'devices:read' },
  { name: 'execution', pattern: '/executions/:id', title: 'Execution', access: 'devices:read' },
  { name: 'request', pattern: '/requests/:id', title: 'Launch', access: 'devices:read' },
  { name: 'campaigns', pattern: '/campaigns', title: 'Campaigns', access: 'authenticated' },
  { name: 'campaign-new', pattern: '/campaigns/new', title: 'New campaign', access: 'campaigns:edit' },
  { name: 'campaign', pattern: '/campaigns/:id', title: 'Campaign', access: 'authenticated' },
  { name: 'campaign-edit', pattern: '/campaigns/:id/edit', title: 'Edit campaign', access: 'campaigns:edit' },
  { name: 'schedules', pattern: '/schedules', title: 'Schedules', access: 'devices:read' },
  { name: 'schedule-new', pattern: '/schedules/new', title: 'New schedule', access: 'actions:edit' },
  { name: 'schedule', pattern: '/schedules/:id', title: 'Schedule', access: 'devices:read' },
  { name: 'detections', pattern: '/detections', title: 'Detection rules', access: 'devices:read' },
  { name: 'detection-new', pattern: '/detections/new', title: 'New detection rule', access: 'actions:edit' },
  { name: 'detection', pattern: '/detections/:id', title: 'Detection rule', access: 'devices:read' },
  { name: 'users', pattern: '/admin/users', title: 'Users', access: 'admin' },
  { name: 'roles', pattern: '/admin/roles', title: 'Roles', access: 'admin' },
  { name: 'role-new', pattern: '/admin/roles/new', title: 'New role', access: 'admin' },
  { name: 'role', pattern: '/admin/roles/:name', title: 'Role', access: 'admin' },
  { name: 'api-clients', pattern: '/admin/api-clients', title: 'API clients', access: 'admin' },
  { name: 'webhooks', pattern: '/admin/webhooks', title: 'Webhooks', access: 'admin' },
  { name: 'webhook', pattern: '/admin/webhooks/:id', title: 'Webhook', access: 'admin' },
  { name: 'enrollment-tokens', pattern: '/admin/enrollment-tokens', title: 'Enrollment tokens', access: 'admin' },
  { name: 'agent-updates', pattern: '/admin/agent-updates', title: 'Agent updates', access: 'agents:update' },
  { name: 'audit', pattern: '/admin/audit', title: 'Audit log', access: 'admin' },
  { name: 'tokens', pattern: '/account/tokens', title: 'My access tokens', access: 'user' },
];

export interface RouteMatch {
  route: RouteDef;
  params: Record<string, string>;
}

function matchPattern(pattern: string, pathname: string): Record<string, string> | null {
  const want = pattern.split('/').filter(Boolean);
  const got = pathname.split('/').filter(Boolean);
  if (want.length !== got.length) return null;
  const params: Record<string, string> = {};
  for (const [i, part] of want.entries()) {
    const segment = got[i]!;
    if (part.startsWith(':')) {
      try {
        params[part.slice(1)] = decodeURIComponent(segment);
      } catch {
        return null;
      }
    } else if (part !== segment) return null;
  }
  return params;
}

/**
 * Finds the page for a path. Literal patterns win over parameters (`/actions/new` before `/actions/:slug`)
 * because the table lists them first.
 */
export function matchRoute(pathname: string): RouteMatch | null {
  const path = pathname.length > 1 ? pathname.replace(/\/+$/, '') : pathname;
  for (const route of routeTable) {
    const params = matchPattern(route.pattern, path);
    if (params) return { route, params };
  }
  return null;
}

/** Builds a path from a pattern, encoding each parameter. */
export function pathFor(name: RouteName, params: Record<string, string> = {}): string {
  const route = routeTable.find((r) => r.name === name)!;
  return route.pattern.replace(/:([a-zA-Z]+)/g, (_, key: string) => encodeURIComponent(params[key] ?? ''));
}

/**
 * The page to open after sign-in from `?next=`, only when it stays on this origin (no `//host` or `/\host`
 * tricks); anything else gives null.
 */
export function safeNextPath(next: string | null, origin: string): string | null {
  if (!next || !next.startsWith('/')) return null;
  try {
    const url = new URL(next, origin);
    return url.origin === origin ? `${url.pathname}${url.search}` : null;
  } catch {
    return null;
  }
}
