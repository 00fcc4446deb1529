/** @module Console sign-in: password check, session creation and sign-out. */
import { and, eq, lt } from 'drizzle-orm';
import type { AppContext } from '../../context';
import { sessions, users } from '../../db/schema';
import { AppError, unauthenticated } from '../../errors';
import type { Principal } from '../../http/principal';
import { appendAudit } from '../audit';
import { hashPassword, verifyPassword } from './password';
import { invalidatePrincipals, resolvePrincipal } from './principal';
import { loginLimiterFor } from './rate-limit';
import { hashToken, newToken, tokenPrefixes } from './tokens';

/** Name of the console's session cookie. */
export const sessionCookie = 'fixpoint_session';
export const sessionTtlMs = 12 * 3600_000;

const failedMessage = 'wrong e-mail or password';

// Checked against when the address is unknown, so a miss costs as long as a wrong password and does not reveal
// which addresses have accounts. A constant, not state: computed once per process.
let dummyHash: Promise<string> | undefined;

async function checkPassword(password: string, stored: string | undefined): Promise<boolean> {
  dummyHash ??= hashPassword('fixpoint-dummy-password');
  try {
    return await verifyPassword(password, stored ?? (await dummyHash));
  } catch {
    // A stored hash with impossible parameters must not turn into a 500.
    return false;
  }
}

export interface LoginInput {
  email: string;
  password: string;
  /** Client address, part of the rate-limit key. */
  ip: string;
}

/** Checks the password and opens a 12-hour session. The same 401 covers unknown, wrong and disabled. */
export async function login(ctx: AppContext, input: LoginInput): Promise<{ token: string; expiresAt: Date; principal: Principal }> {
  const limiter = loginLimiterFor(ctx);
  const key = `${input.email}\n${input.ip}`;
  const gate = limiter.check(key, ctx.now().getTime());
  if (gate.limited) {
    throw new AppError(429, 'rate_limited', `too many failed sign-ins; try again in ${Math.ceil(gate.retryAfterSec / 60)} min`, {
      retryAfterSec: gate.retryAfterSec,
    });
  }
  const [user] = await ctx.db.select().from(users).where(eq(users.email, input.email));
  const passwordOk = await checkPassword(input.password, user?.passwordHash);
  if (!user || !passwordOk || user.disabled) {
    limiter.recordFailure(key, ctx.now().getTime());
    const reason = !user ? 'unknown_user' : !passwordOk ? 'wrong_password' : 'disabled';
    await ctx.db.transaction((tx) =>
      appendAudit(tx, { actor: 'anonymous', action: 'auth.login_failed', target: `user:${input.email}`, details: { reason, ip: input.ip } }, ctx.now()),
    );
    throw unauthenticated(failedMessage);
  }
  limiter.reset(key);
  const token = newToken(tokenPrefixes.session);
  const now = ctx.now();
  const expiresAt = new Date(now.getTime() + sessionTtlMs);
  await ctx.db.transaction(async (tx) => {
    // Expired sessions are removed on the next sign-in of the same user, so the table does not grow without bound.
    await tx.delete(sessions).where(and(eq(sessions.userId, user.id), lt(sessions.expiresAt, now)));
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
    const [gone] = await tx.delete(sessions).where(eq(sessions.tokenHash, hashToken(sessionToken))).returning();
    if (!gone) return;
    const [user] = await tx.select({ email: users.email }).from(users).where(eq(users.id, gone.userId));
    const label = `user:${user?.email ?? gone.userId}`;
    await appendAudit(tx, { actor: label, action: 'auth.logout', target: label }, ctx.now());
  });
  invalidatePrincipals();
}
