/** @module User accounts: list, read, create, change and delete. Passwords go in, never come out. */
import { asc, count, eq } from 'drizzle-orm';
import type { z } from 'zod';
import type { CredentialsEnded, User, UserInput, UserPatch } from '@fixpoint/protocol';
import type { AppContext } from '../../context';
import type { Db, Tx } from '../../db';
import { userRoles, users } from '../../db/schema';
import { conflict, invalid, notFound } from '../../errors';
import type { Principal } from './rights';
import { appendAudit } from '../audit';
import { toUser } from './converters';
import { endCredentials, endSessions } from './end-credentials';
import { hashPassword } from './password';
import { invalidatePrincipals } from './principal';
import { assertAdminRemains, lockAdminSet, roleIdsByName, roleNamesOfUsers } from './role-links';

export interface PageInput {
  limit: number;
  offset: number;
}

export async function listUsers(ctx: AppContext, input: PageInput): Promise<{ items: User[]; total: number; next: number | null }> {
  const rows = await ctx.db.select().from(users).orderBy(asc(users.email)).limit(input.limit).offset(input.offset);
  const [{ n } = { n: 0 }] = await ctx.db.select({ n: count() }).from(users);
  const names = await roleNamesOfUsers(ctx.db, rows.map((r) => r.id));
  const next = input.offset + rows.length < n ? input.offset + rows.length : null;
  return { items: rows.map((r) => toUser(r, names.get(r.id) ?? [])), total: n, next };
}

async function loadUser(db: Db | Tx, id: string): Promise<User> {
  const [row] = await db.select().from(users).where(eq(users.id, id));
  if (!row) throw notFound('user');
  const names = await roleNamesOfUsers(db, [id]);
  return toUser(row, names.get(id) ?? []);
}

export async function getUser(ctx: AppContext, id: string): Promise<User> {
  return loadUser(ctx.db, id);
}

export async function createUser(ctx: AppContext, principal: Principal, input: z.output<typeof UserInput>): Promise<User> {
  // Hash before the transaction: scrypt takes tens of milliseconds and must not hold locks.
  const passwordHash = await hashPassword(input.password, ctx.config.passwordHashing);
  return ctx.db.transaction(async (tx) => {
    const [taken] = await tx.select({ id: users.id }).from(users).where(eq(users.email, input.email));
    if (taken) throw conflict(`a user with e-mail ${input.email} already exists`);
    const roleIds = await roleIdsByName(tx, input.roles);
    const [row] = await tx.insert(users).values({ email: input.email, name: input.name, passwordHash, createdAt: ctx.now() }).returning();
    await tx.insert(userRoles).values(roleIds.map((roleId) => ({ userId: row!.id, roleId })));
    await appendAudit(
      tx,
      { actor: principal.label, action: 'user.create', target: `user:${input.email}`, details: { name: input.name, roles: input.roles } },
      ctx.now(),
    );
    return loadUser(tx, row!.id);
  });
}

/**
 * Changes name, password, roles or the disabled flag. A change that would leave no enabled admin is refused with 409.
 * Resetting someone else's password ends all their sessions, revokes all their personal access tokens and makes
 * them choose a new password at their next sign-in (the admin knows this one). Setting one's own password here
 * keeps only the caller's current session. Disabling a user ends their sessions. The counts come back in the answer.
 */
export async function updateUser(
  ctx: AppContext,
  principal: Principal,
  id: string,
  patch: z.output<typeof UserPatch>,
): Promise<User & Partial<z.infer<typeof CredentialsEnded>>> {
  const changed = (Object.keys(patch) as (keyof typeof patch)[]).filter((k) => patch[k] !== undefined);
  if (!changed.length) throw invalid('nothing to change; send at least one of name, password, roles, disabled');
  const passwordHash = patch.password ? await hashPassword(patch.password, ctx.config.passwordHashing) : undefined;
  const user = await ctx.db.transaction(async (tx) => {
    await lockAdminSet(tx);
    const [row] = await tx.select().from(users).where(eq(users.id, id));
    if (!row) throw notFound('user');
    const set: Partial<typeof users.$inferInsert> = {};
    if (patch.name !== undefined) set.name = patch.name;
    const reset = Boolean(passwordHash) && id !== principal.id;
    if (passwordHash) {
      set.passwordHash = passwordHash;
      set.mustChangePassword = reset;
    }
    if (patch.disabled !== undefined) set.disabled = patch.disabled;
    if (Object.keys(set).length) await tx.update(users).set(set).where(eq(users.id, id));
    if (patch.roles) {
      const roleIds = await roleIdsByName(tx, patch.roles);
      await tx.delete(userRoles).where(eq(userRoles.userId, id));
      await tx.insert(userRoles).values(roleIds.map((roleId) => ({ userId: id, roleId })));
    }
    const now = ctx.now();
    let ended: Partial<z.infer<typeof CredentialsEnded>> = {};
    if (passwordHash) ended = await endCredentials(tx, id, now, reset ? undefined : principal.sessionId);
    else if (patch.disabled) ended = { sessionsEnded: await endSessions(tx, id, now) };
    if (patch.roles || patch.disabled) await assertAdminRemains(tx);
    const details: Record<string, unknown> = { changed };
    if (patch.name !== undefined) details.name = patch.name;
    if (patch.roles) details.roles = patch.roles;
    if (patch.disabled !== undefined) details.disabled = patch.disabled;
    if (reset) details.mustChangePassword = true;
    await appendAudit(tx, { actor: principal.label, action: 'user.update', target: `user:${row.email}`, details: { ...details, ...ended } }, now);
    return { ...(await loadUser(tx, id)), ...ended };
  });
  invalidatePrincipals();
  return user;
}

/** Deletes a user with their sessions and tokens; the last enabled admin cannot be deleted (409). */
export async function deleteUser(ctx: AppContext, principal: Principal, id: string): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    await lockAdminSet(tx);
    const [row] = await tx.delete(users).where(eq(users.id, id)).returning({ email: users.email });
    if (!row) throw notFound('user');
    await assertAdminRemains(tx);
    await appendAudit(tx, { actor: principal.label, action: 'user.delete', target: `user:${row.email}` }, ctx.now());
  });
  invalidatePrincipals();
}

