import type { DeviceScope, Permission } from '@fixpoint/protocol';

/**
 * A role's device scope as a principal carries it: with the text of each saved query it names, read when the
 * principal was resolved (a query deleted since is simply absent, so it reaches nothing).
 */
export type PrincipalScope = Partial<DeviceScope> & {
  queryTexts?: readonly string[];
  /** Exactly these devices (a device's own user running a self-service fix); never part of a role's scope. */
  deviceIds?: readonly string[];
};

/** Who is calling, with what their roles (and token narrowing) allow. */
export interface Principal {
  /** `device_user`: the logged-in user of one device, running a self-service fix through its agent. */
  kind: 'user' | 'client' | 'device_user';
  id: string;
  name: string;
  email: string | null;
  /** Stable label for the audit log and `requestedBy`, e.g. `user:ana@example.com`. */
  label: string;
  via: 'session' | 'pat' | 'client_token' | 'agent';
  /** The SHA-256 of the console session this request came with (`via: 'session'`), so a password change can keep it. */
  sessionId?: string;
  /** The user must set a new password; until then only the password change and their own identity answer. */
  mustChangePassword?: boolean;
  roles: string[];
  permissions: ReadonlySet<Permission>;
  /** Action slugs this principal may run, or '*' for all. */
  runnableActions: '*' | ReadonlySet<string>;
  /** Union of the roles' device scopes. */
  scopes: readonly PrincipalScope[];
  /** Automation only: the label of the owner whose rights this principal carries (`label` names the automation). */
  owner?: string;
}

/** Why a credential that once worked no longer does; unknown credentials have no reason to give. */
export type CredentialFailure = 'expired' | 'revoked';

/** `admin` implies every permission. */
export function can(principal: Principal, permission: Permission): boolean {
  return principal.permissions.has('admin') || principal.permissions.has(permission);
}

export function canRunAction(principal: Principal, slug: string): boolean {
  if (!can(principal, 'actions:run')) return false;
  return principal.runnableActions === '*' || principal.runnableActions.has(slug);
}
