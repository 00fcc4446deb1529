/** @module A signed-in user's own password change. */
import { eq } from 'drizzle-orm';
import type { z } from 'zod';
import type { CredentialsEnded } from '@fixpoint/protocol';
import type { AppContext } from '../../context';
import { users } from '../../db/schema';
import { forbidden, invalid } from '../../errors';
import type { Principal } from './rights';
import { appendAudit } from '../audit';
import { credentialGuardFor } from './credential-guard';
import { endCredentials } from './end-credentials';
import { checkPassword, hashPassword } from './password';
import { invalidatePrincipals } from './principal';

export interface ChangePasswordInput {
  currentPassword: string;
  newPassword: string;
  /** Client address, for throttling guesses of the current password. */
  ip: string;
}

/**
 * Sets a new password for the caller, who must know the current one and sign in with a console session (a token
 * cannot change the password it was derived from). Ends the user's other sessions and revokes all their personal
 * access tokens: whoever learned the old password may have made some. Clears `mustChangePassword`.
 */
export async function changeOwnPassword(
  ctx: AppContext,
  principal: Principal,
  input: ChangePasswordInput,
): Promise<z.infer<typeof CredentialsEnded>> {
  if (principal.kind !== 'user' || principal.via !== 'session' || !principal.sessionId)
    throw forbidden('change your password from a console session, not with a token');
  const guard = credentialGuardFor(ctx);
  const attempt = { target: principal.label, address: input.ip };
  guard.assertMayTry(attempt);
  const [user] = await ctx.db.select().from(users).where(eq(users.id, principal.id));
  if (!(await checkPassword(input.currentPassword, user?.passwordHash, ctx.config.passwordHashing))) {
    await guard.recordFailure(attempt, { action: 'auth.login_failed', reason: 'wrong_current_password' });
    throw invalid('the current password is wrong', [{ path: 'currentPassword', message: 'the current password is wrong' }]);
  }
  guard.recordSuccess(attempt);
  if (input.newPassword === input.currentPassword)
    throw invalid('choose a new password that differs from the current one', [{ path: 'newPassword', message: 'same as the current password' }]);
  const passwordHash = await hashPassword(input.newPassword, ctx.config.passwordHashing);
  const now = ctx.now();
  const ended = await ctx.db.transaction(async (tx) => {
    await tx.update(users).set({ passwordHash, mustChangePassword: false }).where(eq(users.id, principal.id));
    const counts = await endCredentials(tx, principal.id, now, principal.sessionId);
    await appendAudit(tx, { actor: principal.label, action: 'user.password_change', target: principal.label, details: { ...counts, ip: input.ip } }, now);
    return counts;
  });
  invalidatePrincipals();
  return ended;
}
