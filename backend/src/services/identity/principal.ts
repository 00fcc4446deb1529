/** @module Resolves the caller from a session cookie, a personal access token or an OAuth client token. */
import { and, eq, inArray, sql } from 'drizzle-orm';
import { manualActionsEntry, type Permission } from '@fixpoint/protocol';
import type { AppContext } from '../../context';
import type { Db } from '../../db';
import { accessTokens, actions, actionVersions, apiClientRoles, apiClients, clientTokens, roles, savedQueries, sessions, userRoles, users } from '../../db/schema';
import type { CredentialFailure, Principal, PrincipalScope } from './rights';
import { hashToken, tokenPrefixes } from './tokens';

type RoleRow = typeof roles.$inferSelect;

/**
 * Merges the roles of one principal. `queryTexts` holds the text of the saved queries their scopes name. A role with
 * "may run what they may edit" (`editImpliesRun`) and `actions:edit` also runs every action. A role's `@manual` entry
 * becomes the slugs of the actions launchable by hand now, so everything downstream (launch, cancel, listing,
 * automation, `/auth/me`) sees plain slugs.
 */
async function mergeRoles(db: Db, rows: readonly RoleRow[], queryTexts: ReadonlyMap<string, string> = new Map()) {
  const permissions = new Set<Permission>();
  const runnable = new Set<string>();
  const scopes: PrincipalScope[] = [];
  for (const role of rows) {
    role.permissions.forEach((p) => permissions.add(p));
    role.runnableActions.forEach((a) => runnable.add(a));
    if (role.editImpliesRun && role.permissions.includes('actions:edit')) {
      permissions.add('actions:run');
      runnable.add('*');
    }
    const queries = role.deviceScope.queries ?? [];
    scopes.push(queries.length ? { ...role.deviceScope, queryTexts: queries.flatMap((id) => queryTexts.get(id) ?? []) } : role.deviceScope);
  }
  if (runnable.delete(manualActionsEntry) && !runnable.has('*')) for (const slug of await manualActionSlugs(db)) runnable.add(slug);
  const isAdmin = permissions.has('admin');
  return {
    roles: rows.map((r) => r.name),
    permissions,
    runnableActions: isAdmin || runnable.has('*') ? ('*' as const) : runnable,
    scopes: isAdmin ? [{ all: true, tags: [], platforms: [] }] : scopes,
  };
}

/** Slugs of the live actions whose latest version allows the `manual` trigger. */
async function manualActionSlugs(db: Db): Promise<string[]> {
  const rows = await db
    .select({ slug: actions.slug })
    .from(actions)
    .innerJoin(actionVersions, and(eq(actionVersions.actionId, actions.id), eq(actionVersions.version, actions.latestVersion)))
    .where(and(eq(actions.archived, false), sql`${actionVersions.definition} -> 'triggers' @> '["manual"]'::jsonb`));
  return rows.map((r) => r.slug);
}

/** The text of every saved query the roles' scopes name, by id. */
async function scopeQueryTexts(db: Db, rows: readonly RoleRow[]): Promise<Map<string, string>> {
  const ids = [...new Set(rows.flatMap((r) => (r.deviceScope.all ? [] : (r.deviceScope.queries ?? []))))];
  if (!ids.length) return new Map();
  const found = await db.select({ id: savedQueries.id, query: savedQueries.query }).from(savedQueries).where(inArray(savedQueries.id, ids));
  return new Map(found.map((q) => [q.id, q.query]));
}

export interface Authentication {
  principal: Principal | null;
  failure?: CredentialFailure;
}

// Resolved principals are cached briefly so the API does not pay role look-ups per request.
// Any change to users, roles, tokens or clients calls `invalidatePrincipals()`.
const cache = new Map<string, { result: Authentication; expires: number }>();
const cacheMs = 10_000;
export function invalidatePrincipals(): void {
  cache.clear();
}

/** The caller behind a bearer token or session cookie, or why that credential is refused. */
export async function authenticate(
  ctx: AppContext,
  credential: { bearer?: string | undefined; session?: string | undefined },
): Promise<Authentication> {
  const token = credential.bearer ?? credential.session;
  if (!token) return { principal: null };
  const key = hashToken(token);
  const hit = cache.get(key);
  const nowMs = ctx.now().getTime();
  if (hit && hit.expires > nowMs) return hit.result;
  const result = credential.bearer ? await fromBearer(ctx, credential.bearer, key) : await fromSession(ctx, key);
  if (cache.size > 10_000) cache.clear();
  // A principal is cached no longer than its credential lives, so expiry is seen to the second.
  cache.set(key, { result, expires: Math.min(nowMs + cacheMs, result.principal ? (validUntil.get(result.principal) ?? 0) : nowMs + cacheMs) });
  return result;
}

export async function resolvePrincipal(
  ctx: AppContext,
  credential: { bearer?: string | undefined; session?: string | undefined },
): Promise<Principal | null> {
  return (await authenticate(ctx, credential)).principal;
}

const validUntil = new WeakMap<Principal, number>();

/** Checks a stored credential's state; `null` means it may be used. */
function refusal(row: { expiresAt: Date; revokedAt: Date | null }, now: Date): Authentication | null {
  if (row.revokedAt) return { principal: null, failure: 'revoked' };
  if (row.expiresAt <= now) return { principal: null, failure: 'expired' };
  return null;
}

async function userPrincipal(
  ctx: AppContext,
  userId: string,
  via: Principal['via'],
  narrow: Permission[] | null,
  credential: { expiresAt: Date; sessionId?: string },
): Promise<Authentication> {
  const [user] = await ctx.db.select().from(users).where(eq(users.id, userId));
  if (!user || user.disabled) return { principal: null };
  const roleRows = await ctx.db
    .select({ role: roles })
    .from(userRoles)
    .innerJoin(roles, eq(userRoles.roleId, roles.id))
    .where(eq(userRoles.userId, userId));
  const roleList = roleRows.map((r) => r.role);
  const merged = await mergeRoles(ctx.db, roleList, await scopeQueryTexts(ctx.db, roleList));
  let permissions = merged.permissions;
  if (narrow) {
    // A narrowed token never gains a permission; `admin` on the user still counts only if the token lists it.
    const isAdmin = permissions.has('admin');
    permissions = new Set(narrow.filter((p) => isAdmin || permissions.has(p)));
  }
  const principal: Principal = {
    kind: 'user' as const,
    id: user.id,
    name: user.name,
    email: user.email,
    label: `user:${user.email}`,
    via,
    ...(credential.sessionId ? { sessionId: credential.sessionId } : {}),
    mustChangePassword: user.mustChangePassword,
    ...merged,
    permissions,
  };
  validUntil.set(principal, credential.expiresAt.getTime());
  return { principal };
}

async function fromSession(ctx: AppContext, tokenHash: string): Promise<Authentication> {
  const [session] = await ctx.db.select().from(sessions).where(eq(sessions.tokenHash, tokenHash));
  if (!session) return { principal: null };
  return refusal(session, ctx.now()) ?? userPrincipal(ctx, session.userId, 'session', null, { expiresAt: session.expiresAt, sessionId: tokenHash });
}

async function fromBearer(ctx: AppContext, token: string, tokenHash: string): Promise<Authentication> {
  if (token.startsWith(tokenPrefixes.pat)) {
    const [pat] = await ctx.db.select().from(accessTokens).where(eq(accessTokens.tokenHash, tokenHash));
    if (!pat) return { principal: null };
    const refused = refusal(pat, ctx.now());
    if (refused) return refused;
    await ctx.db.update(accessTokens).set({ lastUsedAt: ctx.now() }).where(eq(accessTokens.id, pat.id));
    return userPrincipal(ctx, pat.userId, 'pat', pat.permissions, { expiresAt: pat.expiresAt });
  }
  if (token.startsWith(tokenPrefixes.clientToken)) {
    const [row] = await ctx.db
      .select({ client: apiClients, token: clientTokens })
      .from(clientTokens)
      .innerJoin(apiClients, eq(clientTokens.apiClientId, apiClients.id))
      .where(eq(clientTokens.tokenHash, tokenHash));
    if (!row) return { principal: null };
    const refused = refusal(row.token, ctx.now());
    if (refused) return refused;
    const principal = await clientPrincipal(ctx, row.client);
    if (!principal) return { principal: null, failure: 'revoked' };
    validUntil.set(principal, row.token.expiresAt.getTime());
    return { principal };
  }
  return { principal: null };
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
    ...(await mergeRoles(ctx.db, roleRows, await scopeQueryTexts(ctx.db, roleRows))),
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
  if (hit && hit.expires > nowMs) return hit.result.principal;
  let principal: Principal | null;
  // An owner has no credential of its own: its rights last as long as the user or client does.
  if (owner.kind === 'user') principal = (await userPrincipal(ctx, owner.id, 'session', null, { expiresAt: new Date(8.64e15) })).principal;
  else {
    const [client] = await ctx.db.select().from(apiClients).where(eq(apiClients.id, owner.id));
    principal = client ? await clientPrincipal(ctx, client) : null;
  }
  if (cache.size > 10_000) cache.clear();
  cache.set(key, { result: { principal }, expires: nowMs + cacheMs });
  return principal;
}
