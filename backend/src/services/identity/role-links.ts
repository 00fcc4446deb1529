/** @module Role look-ups shared by users and API clients, and the guard that keeps at least one admin. */
import { and, countDistinct, eq, inArray, not, sql } from 'drizzle-orm';
import type { Db, Tx } from '../../db';
import { apiClientRoles, roles, userRoles, users } from '../../db/schema';
import { conflict, invalid } from '../../errors';

/** Role ids for these names; an unknown name is a validation error naming it. */
export async function roleIdsByName(tx: Db | Tx, names: readonly string[]): Promise<string[]> {
  const unique = [...new Set(names)];
  const rows = await tx.select({ id: roles.id, name: roles.name }).from(roles).where(inArray(roles.name, unique));
  const missing = unique.filter((n) => !rows.some((r) => r.name === n));
  if (missing.length) throw invalid(`unknown role${missing.length > 1 ? 's' : ''}: ${missing.join(', ')}`, { roles: missing });
  return rows.map((r) => r.id);
}

/** Role names per user id, for the listed users. */
export async function roleNamesOfUsers(tx: Db | Tx, userIds: readonly string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>(userIds.map((id) => [id, []]));
  if (!userIds.length) return out;
  const rows = await tx
    .select({ userId: userRoles.userId, name: roles.name })
    .from(userRoles)
    .innerJoin(roles, eq(userRoles.roleId, roles.id))
    .where(inArray(userRoles.userId, [...userIds]));
  for (const r of rows) out.get(r.userId)?.push(r.name);
  return out;
}

/** Role names per API client id. */
export async function roleNamesOfClients(tx: Db | Tx, clientIds: readonly string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>(clientIds.map((id) => [id, []]));
  if (!clientIds.length) return out;
  const rows = await tx
    .select({ clientId: apiClientRoles.apiClientId, name: roles.name })
    .from(apiClientRoles)
    .innerJoin(roles, eq(apiClientRoles.roleId, roles.id))
    .where(inArray(apiClientRoles.apiClientId, [...clientIds]));
  for (const r of rows) out.get(r.clientId)?.push(r.name);
  return out;
}

/**
 * Serializes changes that can remove an admin. Two transactions that each demote a different admin would otherwise
 * both see the other admin still standing and leave none; with the lock, the second one sees the first one's result.
 */
export async function lockAdminSet(tx: Tx): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(7305562)`);
}

/** Enabled users holding a role with the `admin` permission. */
export async function countEnabledAdmins(tx: Db | Tx): Promise<number> {
  const [row] = await tx
    .select({ n: countDistinct(users.id) })
    .from(users)
    .innerJoin(userRoles, eq(userRoles.userId, users.id))
    .innerJoin(roles, eq(userRoles.roleId, roles.id))
    .where(and(not(users.disabled), sql`${roles.permissions} @> '["admin"]'::jsonb`));
  return row?.n ?? 0;
}

/**
 * Called after a change, inside its transaction (after `lockAdminSet`): throwing rolls the change back, so an
 * installation can never lock every administrator out.
 */
export async function assertAdminRemains(tx: Tx): Promise<void> {
  if ((await countEnabledAdmins(tx)) === 0)
    throw conflict('this would leave no enabled administrator; make another user an admin first');
}
