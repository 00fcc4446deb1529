/** @module Roles: what their holders may do, which actions they may run, and on which devices. */
import { asc, count, eq, or } from 'drizzle-orm';
import type { Role, RoleInput } from '@fixpoint/protocol';
import type { AppContext } from '../../context';
import type { Db, Tx } from '../../db';
import { apiClientRoles, roles, userRoles } from '../../db/schema';
import { conflict, notFound } from '../../errors';
import type { Principal } from './rights';
import { appendAudit } from '../audit';
import { toRole } from './converters';
import { invalidatePrincipals } from './principal';
import { assertAdminRemains, lockAdminSet } from './role-links';
import { assertScopeQueries } from '../devices/saved-queries';
import type { PageInput } from './users';

/**
 * Built-in roles are fixed, with one exception: an admin decides which actions `support` may run and on which
 * devices, so those two fields of `support` stay editable. Its name, description and permissions do not change.
 */
const editableBuiltInFields: Readonly<Record<string, readonly (keyof RoleInput)[]>> = {
  support: ['runnableActions', 'deviceScope'],
};

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Finds a role by id or by name (a name can look like a UUID, so both are tried). */
async function findRole(db: Db | Tx, ref: string) {
  const where = uuidPattern.test(ref) ? or(eq(roles.id, ref), eq(roles.name, ref)) : eq(roles.name, ref);
  const [row] = await db.select().from(roles).where(where).limit(1);
  if (!row) throw notFound('role');
  return row;
}

export async function listRoles(ctx: AppContext, input: PageInput): Promise<{ items: Role[]; total: number; next: number | null }> {
  const rows = await ctx.db.select().from(roles).orderBy(asc(roles.name)).limit(input.limit).offset(input.offset);
  const [{ n } = { n: 0 }] = await ctx.db.select({ n: count() }).from(roles);
  const next = input.offset + rows.length < n ? input.offset + rows.length : null;
  return { items: rows.map(toRole), total: n, next };
}

export async function getRole(ctx: AppContext, ref: string): Promise<Role> {
  return toRole(await findRole(ctx.db, ref));
}

export async function createRole(ctx: AppContext, principal: Principal, input: RoleInput): Promise<Role> {
  return ctx.db.transaction(async (tx) => {
    const [taken] = await tx.select({ id: roles.id }).from(roles).where(eq(roles.name, input.name));
    if (taken) throw conflict(`a role named ${input.name} already exists`);
    await assertScopeQueries(tx, input.deviceScope.queries, ctx.now());
    const [row] = await tx.insert(roles).values({ ...input, builtIn: false, createdAt: ctx.now() }).returning();
    await appendAudit(tx, { actor: principal.label, action: 'role.create', target: `role:${input.name}`, details: { ...input } }, ctx.now());
    return toRole(row!);
  });
}

const sameSet = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x) => b.includes(x)) && b.every((x) => a.includes(x));

/** Replaces a role. Built-in roles refuse every change except those in `editableBuiltInFields` (409). */
export async function updateRole(ctx: AppContext, principal: Principal, ref: string, input: RoleInput): Promise<Role> {
  const role = await ctx.db.transaction(async (tx) => {
    await lockAdminSet(tx);
    const row = await findRole(tx, ref);
    if (row.builtIn) {
      const editable = editableBuiltInFields[row.name] ?? [];
      const locked: string[] = [];
      if (input.name !== row.name) locked.push('name');
      if (input.description !== row.description) locked.push('description');
      if (!sameSet(input.permissions, row.permissions)) locked.push('permissions');
      if (input.editImpliesRun !== row.editImpliesRun) locked.push('editImpliesRun');
      if (!editable.length) throw conflict(`the built-in role ${row.name} cannot be changed; create a custom role instead`);
      if (locked.length)
        throw conflict(`the built-in role ${row.name} allows changes to ${editable.join(' and ')} only`, { locked });
    } else if (input.name !== row.name) {
      const [taken] = await tx.select({ id: roles.id }).from(roles).where(eq(roles.name, input.name));
      if (taken) throw conflict(`a role named ${input.name} already exists`);
    }
    await assertScopeQueries(tx, input.deviceScope.queries, ctx.now());
    const [updated] = await tx
      .update(roles)
      .set({ name: input.name, description: input.description, permissions: input.permissions, runnableActions: input.runnableActions, deviceScope: input.deviceScope, editImpliesRun: input.editImpliesRun })
      .where(eq(roles.id, row.id))
      .returning();
    // Taking `admin` away from a custom role may demote the last admin.
    if (row.permissions.includes('admin') && !input.permissions.includes('admin')) await assertAdminRemains(tx);
    await appendAudit(
      tx,
      { actor: principal.label, action: 'role.update', target: `role:${row.name}`, details: { ...input, previousName: row.name } },
      ctx.now(),
    );
    return toRole(updated!);
  });
  invalidatePrincipals();
  return role;
}

/** Deletes a custom role that nobody holds; built-in roles and roles in use give 409. */
export async function deleteRole(ctx: AppContext, principal: Principal, ref: string): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    const row = await findRole(tx, ref);
    if (row.builtIn) throw conflict(`the built-in role ${row.name} cannot be deleted`);
    const [{ u } = { u: 0 }] = await tx.select({ u: count() }).from(userRoles).where(eq(userRoles.roleId, row.id));
    const [{ c } = { c: 0 }] = await tx.select({ c: count() }).from(apiClientRoles).where(eq(apiClientRoles.roleId, row.id));
    if (u || c)
      throw conflict(`the role ${row.name} is in use by ${u} user(s) and ${c} API client(s); reassign them first`, { users: u, apiClients: c });
    await tx.delete(roles).where(eq(roles.id, row.id));
    await appendAudit(tx, { actor: principal.label, action: 'role.delete', target: `role:${row.name}` }, ctx.now());
  });
  invalidatePrincipals();
}
