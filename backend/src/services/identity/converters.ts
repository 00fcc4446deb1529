/** @module Maps identity rows to their wire shapes. Secrets and hashes never leave through here. */
import type { z } from 'zod';
import type { AccessToken, ApiClient, Me, Role, User } from '@fixpoint/protocol';
import type { accessTokens, apiClients, roles, users } from '../../db/schema';
import type { Principal } from './rights';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function toUser(row: typeof users.$inferSelect, roleNames: string[]): User {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    roles: [...roleNames].sort(),
    disabled: row.disabled,
    createdAt: row.createdAt.toISOString(),
    lastLoginAt: iso(row.lastLoginAt),
  };
}

export function toRole(row: typeof roles.$inferSelect): Role {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    permissions: row.permissions,
    runnableActions: row.runnableActions,
    deviceScope: { ...row.deviceScope, queries: row.deviceScope.queries ?? [] },
    editImpliesRun: row.editImpliesRun,
    builtIn: row.builtIn,
    createdAt: row.createdAt.toISOString(),
  };
}

export function toAccessToken(row: typeof accessTokens.$inferSelect): z.infer<typeof AccessToken> {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    permissions: row.permissions,
    expiresAt: row.expiresAt.toISOString(),
    lastUsedAt: iso(row.lastUsedAt),
    createdAt: row.createdAt.toISOString(),
  };
}

export function toApiClient(row: typeof apiClients.$inferSelect, roleNames: string[]): z.infer<typeof ApiClient> {
  return {
    id: row.id,
    clientId: row.clientId,
    name: row.name,
    roles: [...roleNames].sort(),
    disabled: row.disabled,
    createdAt: row.createdAt.toISOString(),
  };
}

/** What the caller may do, as the console and the extension show it. */
export function toMe(principal: Principal): Me {
  return {
    // device users reach no route (they act through their agent only)
    kind: principal.kind === 'device_user' ? 'user' : principal.kind,
    id: principal.id,
    name: principal.name,
    email: principal.email,
    roles: [...principal.roles].sort(),
    permissions: [...principal.permissions].sort(),
    runnableActions: principal.runnableActions === '*' ? ['*'] : [...principal.runnableActions].sort(),
    mustChangePassword: principal.mustChangePassword ?? false,
  };
}
