/** @module Principals for service-level tests: one that reaches everything, and real users that automation can be owned by. */
import { eq } from 'drizzle-orm';
import type { AppContext } from '../context';
import { roles, userRoles, users } from '../db/schema';
import type { Principal } from '../services/identity/rights';
import { principalOf } from '../services/identity';

/** An admin-equivalent principal named `label`, for tests that launch directly (not tied to any user). */
export function fleetPrincipal(label: string): Principal {
  return {
    kind: 'client',
    id: label,
    name: label,
    email: null,
    label,
    via: 'client_token',
    roles: [],
    permissions: new Set(['admin']),
    runnableActions: '*',
    scopes: [{ all: true, tags: [], platforms: [] }],
  };
}

/** A user holding `roleNames` (default admin), as the principal a request of theirs would carry; it can own automation. */
export async function seedPrincipal(ctx: AppContext, roleNames: string[] = ['admin'], email = `owner-${Math.random().toString(36).slice(2, 8)}@test.local`): Promise<Principal> {
  const [user] = await ctx.db.insert(users).values({ email, name: email, passwordHash: 'x' }).returning();
  for (const name of roleNames) {
    const [role] = await ctx.db.select().from(roles).where(eq(roles.name, name));
    if (!role) throw new Error(`no role ${name}`);
    await ctx.db.insert(userRoles).values({ userId: user!.id, roleId: role.id });
  }
  const principal = await principalOf(ctx, { kind: 'user', id: user!.id });
  if (!principal) throw new Error('seeded user did not resolve');
  return principal;
}
