/** @module Ends a user's console sessions and personal access tokens when their password changes or is reset. */
import { and, eq, gt, isNull, ne } from 'drizzle-orm';
import { type CredentialsEnded } from '@fixpoint/protocol';
import type { z } from 'zod';
import type { Tx } from '../../db';
import { accessTokens, sessions } from '../../db/schema';

/**
 * Revokes the user's live sessions, except `keepSessionId` (the one making the change), and all their live tokens.
 * Rows are marked, not deleted, so a request still using one is told `revoked`. Callers invalidate the principal
 * cache after the commit.
 */
export async function endCredentials(
  tx: Tx,
  userId: string,
  now: Date,
  keepSessionId?: string,
): Promise<z.infer<typeof CredentialsEnded>> {
  const sessionsEnded = await endSessions(tx, userId, now, keepSessionId);
  const revoked = await tx
    .update(accessTokens)
    .set({ revokedAt: now })
    .where(and(eq(accessTokens.userId, userId), isNull(accessTokens.revokedAt), gt(accessTokens.expiresAt, now)))
    .returning({ id: accessTokens.id });
  return { sessionsEnded, tokensRevoked: revoked.length };
}

/** Revokes the user's live console sessions, except `keepSessionId`; returns how many. */
export async function endSessions(tx: Tx, userId: string, now: Date, keepSessionId?: string): Promise<number> {
  const live = and(eq(sessions.userId, userId), isNull(sessions.revokedAt), gt(sessions.expiresAt, now));
  const ended = await tx
    .update(sessions)
    .set({ revokedAt: now })
    .where(keepSessionId ? and(live, ne(sessions.tokenHash, keepSessionId)) : live)
    .returning({ id: sessions.tokenHash });
  return ended.length;
}
