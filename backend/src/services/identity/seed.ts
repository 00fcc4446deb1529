import { randomBytes } from 'node:crypto';
import { count, eq } from 'drizzle-orm';
import { manualActionsEntry, type RoleInput } from '@fixpoint/protocol';
import type { AppContext } from '../../context';
import { roles, userRoles, users } from '../../db/schema';
import { appendAudit } from '../audit';
import { hashPassword } from './password';

/** The roles every installation starts with. They can be assigned but not edited or deleted. */
export const builtInRoles: RoleInput[] = [
  {
    name: 'admin',
    description: 'Everything, including users, roles, API clients, enrollment and webhooks.',
    permissions: ['admin'],
    runnableActions: ['*'],
    deviceScope: { all: true, tags: [], platforms: [], queries: [] },
    editImpliesRun: false,
  },
  {
    name: 'author',
    description: 'Writes remote actions and campaigns; reads devices.',
    permissions: ['actions:edit', 'campaigns:edit', 'devices:read'],
    runnableActions: [],
    deviceScope: { all: true, tags: [], platforms: [], queries: [] },
    editImpliesRun: false,
  },
  {
    name: 'support',
    description: 'Runs the actions its role lists on the devices in its scope.',
    permissions: ['actions:run', 'campaigns:trigger', 'devices:read'],
    // Out of the box, every action its authors allow to be launched by hand; an admin can narrow the list.
    runnableActions: [manualActionsEntry],
    deviceScope: { all: true, tags: [], platforms: [], queries: [] },
    editImpliesRun: false,
  },
  {
    name: 'viewer',
    description: 'Reads devices, actions and executions.',
    permissions: ['devices:read'],
    runnableActions: [],
    deviceScope: { all: true, tags: [], platforms: [], queries: [] },
    editImpliesRun: false,
  },
];

/**
 * Creates the built-in roles and, on an empty database, the first admin. Without FIXPOINT_ADMIN_* it generates
 * a one-time password and returns it, so the caller prints it once; that admin must set a new password at first
 * sign-in. A password from FIXPOINT_ADMIN_PASSWORD was chosen by the operator and is kept.
 */
export async function seed(ctx: AppContext): Promise<{ adminEmail: string; generatedPassword: string | null } | null> {
  await ctx.db.insert(roles).values(builtInRoles.map((r) => ({ ...r, builtIn: true }))).onConflictDoNothing();
  const [{ n } = { n: 0 }] = await ctx.db.select({ n: count() }).from(users);
  if (n > 0) return null;
  const email = (ctx.config.adminEmail ?? 'admin@fixpoint.local').toLowerCase();
  const generatedPassword = ctx.config.adminPassword ? null : randomBytes(12).toString('base64url');
  const passwordHash = await hashPassword(ctx.config.adminPassword ?? generatedPassword!, ctx.config.passwordHashing);
  await ctx.db.transaction(async (tx) => {
    // A generated password has been on a terminal and in logs: it opens the console once, to set a real one.
    const mustChangePassword = generatedPassword !== null;
    const [user] = await tx.insert(users).values({ email, name: 'Administrator', passwordHash, mustChangePassword }).returning();
    const [admin] = await tx.select().from(roles).where(eq(roles.name, 'admin'));
    await tx.insert(userRoles).values({ userId: user!.id, roleId: admin!.id });
    await appendAudit(tx, { actor: 'system', action: 'user.seed', target: `user:${email}`, details: { roles: ['admin'] } }, ctx.now());
  });
  return { adminEmail: email, generatedPassword };
}
