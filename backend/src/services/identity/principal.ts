/** @module Resolves the caller from a session cookie, a personal access token or an OAuth client token. */
import { and, eq, gt, inArray, isNull } from 'drizzle-orm';
import type { DeviceScope, Permission } from '@fixpoint/protocol';
import type { AppContext } from '../../context';
import { accessTokens, apiClientRoles, apiClients, clientTokens, roles, sessions, userRoles, users } from '../../db/schema';
import type { Principal } from '../../http/principal';
import { hashToken, tokenPrefixes } from './tokens';

type RoleRow = typeof roles.$inferSelect;

/** Merges the roles of one principal. */
export function mergeRoles(rows: readonly RoleRow[]) {
  const permissions = new Set<Permission>();
  const runnable = new Set<string>();
  const scopes: DeviceScope[] = [];
  for (const role of rows) {
    role.permissions.forEach((p) => permissions.add(p));
    role.runnableActions.forEach((a) => runnable.add(a));
    scopes.push(role.deviceScope);
  }
  const isAdmin = permissions.has('admin');
  return {
    roles: rows.map((r) => r.name),
    permissions,
    runnableActions: isAdmin || runnable.has('*') ? ('*' as const) : runnable,
    scopes: isAdmin ? [{ all: true, tags: [], platforms: [] }] : scopes,
  };
}

// Resolved principals are cached briefly so the API does not pay role look-ups per request.
// Any change to users, roles, tokens or clients calls `invalidatePrincipals()`.
const cache = new Map<string, { principal: Principal | null; expires: number }>();
const cacheMs = 10_000;
export function invalidatePrincipals(): void {
  cache.clear();
}

export async function resolvePrincipal(
  ctx: AppContext,
  credential: { bearer?: string | undefined; session?: string | undefined },
): Promise<Principal | null> {
  const token = credential.bearer ?? credential.session;
  if (!token) return null;
  const key = hashToken(token);
  const hit = cache.get(key);
  const nowMs = ctx.now().getTime();
  if (hit && hit.expires > nowMs) return hit.principal;
  const principal = credential.bearer ? await fromBearer(ctx, credential.bearer, key) : await fromSession(ctx, key);
  if (cache.size > 10_000) cache.clear();
  cache.set(key, { principal, expires: nowMs + cacheMs });
  return principal;
}

async function userPrincipal(ctx: AppContext, userId: string, via: Principal['via'], narrow: Permission[] | null) {
  const [user] = await ctx.db.select().from(users).where(eq(users.id, userId));
  if (!user || user.disabled) return null;
  const roleRows = await ctx.db
    .select({ role: roles })
    .from(userRoles)
    .innerJoin(roles, eq(userRoles.roleId, roles.id))
    .where(eq(userRoles.userId, userId));
  const merged = mergeRoles(roleRows.map((r) => r.role));
  let permissions = merged.permissions;
  if (narrow) {
    // A narrowed token never gains a permission; `admin` on the user still counts only if the token lists it.
    const isAdmin = permissions.has('admin');
    permissions = new Set(narrow.filter((p) => isAdmin || permissions.has(p)));
  }
  return {
    kind: 'user' as const,
    id: user.id,
    name: user.name,
    email: user.email,
    label: `user:${user.email}`,
    via,
    ...merged,
    permissions,
  } satisfies Principal;
}

async function fromSession(ctx: AppContext, tokenHash: string): Promise<Principal | null> {
  const [session] = await ctx.db
    .select()
    .from(sessions)
    .where(and(eq(sessions.tokenHash, tokenHash), gt(sessions.expiresAt, ctx.now())));
  return session ? userPrincipal(ctx, session.userId, 'session', null) : null;
}

async function fromBearer(ctx: AppContext, token: string, tokenHash: string): Promise<Principal | null> {
  if (token.startsWith(tokenPrefixes.pat)) {
    const [pat] = await ctx.db
      .select()
      .from(accessTokens)
      .where(and(eq(accessTokens.tokenHash, tokenHash), gt(accessTokens.expiresAt, ctx.now()), isNull(accessTokens.revokedAt)));
    if (!pat) return null;
    await ctx.db.update(accessTokens).set({ lastUsedAt: ctx.now() }).where(eq(accessTokens.id, pat.id));
    return userPrincipal(ctx, pat.userId, 'pat', pat.permissions);
  }
  if (token.startsWith(tokenPrefixes.clientToken)) {
    const [row] = await ctx.db
      .select({ client: apiClients })
      .from(clientTokens)
      .innerJoin(apiClients, eq(clientTokens.apiClientId, apiClients.id))
      .where(and(eq(clientTokens.tokenHash, tokenHash), gt(clientTokens.expiresAt, ctx.now())));
    return row ? clientPrincipal(ctx, row.client) : null;
  }
  return null;
}

async function clientPrincipal(ctx: AppContext, client: typeof apiClients.$inferSelect): Promise<Principal | null> {
  if (client.disabled) return null;
  const links = await ctx.db.select().from(apiClientRoles).where(eq(apiClientRoles.apiClientId, client.id));
  const roleRows = links.length
    ? await ctx.db.select().from(roles).where(inArray(roles.id, links.map((l) => l.roleId)))
    : [];
  return {
    kind: 'client',
    id: client.id,
    name: client.name,
    email: null,
    label: `client:${client.clientId}`,
    via: 'client_token',
    ...mergeRoles(roleRows),
  };
}

/**
 * A user or API client by id, with its roles' full rights (no token narrowing), or null once it is deleted or
 * disabled. Automation fires as its owner through this; it shares the token cache, so `invalidatePrincipals()`
 * makes a disabled user or a changed role count at the next firing on this instance (within 10 s on others).
 */
export async function principalOf(ctx: AppContext, owner: { kind: 'user' | 'client'; id: string }): Promise<Principal | null> {
  const key = `${owner.kind}:${owner.id}`;
  const hit = cache.get(key);
  const nowMs = ctx.now().getTime();
  if (hit && hit.expires > nowMs) return hit.principal;
  let principal: Principal | null;
  if (owner.kind === 'user') principal = await userPrincipal(ctx, owner.id, 'session', null);
  else {
    const [client] = await ctx.db.select().from(apiClients).where(eq(apiClients.id, owner.id));
    principal = client ? await clientPrincipal(ctx, client) : null;
  }
  if (cache.size > 10_000) cache.clear();
  cache.set(key, { principal, expires: nowMs + cacheMs });
  return principal;
}
