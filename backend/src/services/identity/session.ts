/** @module Console sign-in: password check, session creation and sign-out. */
import { and, eq, isNull, lt } from 'drizzle-orm';
import type { AppContext } from '../../context';
import { sessions, users } from '../../db/schema';
import { unauthenticated } from '../../errors';
import type { Principal } from './rights';
import { appendAudit } from '../audit';
import { credentialGuardFor } from './credential-guard';
import { checkPassword } from './password';
import { invalidatePrincipals, resolvePrincipal } from './principal';
import { endedCredentialRetentionMs, hashToken, newToken, tokenPrefixes } from './tokens';

/** Name of the console's session cookie. */
export const sessionCookie = 'fixpoint_session';
export const sessionTtlMs = 12 * 3600_000;

const failedMessage = 'wrong e-mail or password';

export interface LoginInput {
  email: string;
  password: string;
  /** Client address, for throttling and the audit log. */
  ip: string;
}

/**
 * Checks the password and opens a 12-hour session. The same 401 covers unknown, wrong and disabled. Repeated
 * failures for the account or from the address make the next attempt wait (429 with Retry-After) before it is checked.
 */
export async function login(ctx: AppContext, input: LoginInput): Promise<{ token: string; expiresAt: Date; principal: Principal }> {
  const guard = credentialGuardFor(ctx);
  const attempt = { target: `user:${input.email}`, address: input.ip };
  guard.assertMayTry(attempt);
  const [user] = await ctx.db.select().from(users).where(eq(users.email, input.email));
  const passwordOk = await checkPassword(input.password, user?.passwordHash, ctx.config.passwordHashing);
  if (!user || !passwordOk || user.disabled) {
    const reason = !user ? 'unknown_user' : !passwordOk ? 'wrong_password' : 'disabled';
    await guard.recordFailure(attempt, { action: 'auth.login_failed', reason });
    throw unauthenticated(failedMessage);
  }
  guard.recordSuccess(attempt);
  const token = newToken(tokenPrefixes.session);
  const now = ctx.now();
  const expiresAt = new Date(now.getTime() + sessionTtlMs);
  await ctx.db.transaction(async (tx) => {
    // Ended sessions are removed on the next sign-in of the same user once past retention, so the table stays small.
    await tx.delete(sessions).where(and(eq(sessions.userId, user.id), lt(sessions.expiresAt, new Date(now.getTime() - endedCredentialRetentionMs))));
    await tx.insert(sessions).values({ tokenHash: hashToken(token), userId: user.id, createdAt: now, expiresAt });
    await tx.update(users).set({ lastLoginAt: now }).where(eq(users.id, user.id));
    await appendAudit(tx, { actor: `user:${user.email}`, action: 'auth.login', target: `user:${user.email}`, details: { ip: input.ip } }, now);
  });
  const principal = await resolvePrincipal(ctx, { session: token });
  if (!principal) throw unauthenticated(failedMessage);
  return { token, expiresAt, principal };
}

/** Ends the session behind this cookie value, if there is one. Idempotent. */
export async function logout(ctx: AppContext, sessionToken: string | undefined): Promise<void> {
  if (!sessionToken) return;
  await ctx.db.transaction(async (tx) => {
    const [gone] = await tx
      .update(sessions)
      .set({ revokedAt: ctx.now() })
      .where(and(eq(sessions.tokenHash, hashToken(sessionToken)), isNull(sessions.revokedAt)))
      .returning();
    if (!gone) return;
    const [user] = await tx.select({ email: users.email }).from(users).where(eq(users.id, gone.userId));
    const label = `user:${user?.email ?? gone.userId}`;
    await appendAudit(tx, { actor: label, action: 'auth.logout', target: label }, ctx.now());
  });
  invalidatePrincipals();
}
