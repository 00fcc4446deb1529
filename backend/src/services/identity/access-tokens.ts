/** @module Personal access tokens: the API and the browser extension sign in with them. */
import { and, count, desc, eq, gt, isNull, lte, or } from 'drizzle-orm';
import type { z } from 'zod';
import { extensionPermissions, type AccessToken, type CreatedToken, type Permission } from '@fixpoint/protocol';
import type { AppContext } from '../../context';
import { accessTokens } from '../../db/schema';
import { forbidden, invalid, limitExceeded, notFound } from '../../errors';
import { can, type Principal } from './rights';
import { appendAudit } from '../audit';
import { toAccessToken } from './converters';
import { invalidatePrincipals } from './principal';
import { endedCredentialRetentionMs, hashToken, newToken, tokenPrefixes } from './tokens';

/** Active tokens one user may hold; the extension mints one per sign-in, so keep headroom. */
const maxActiveTokens = 100;

export interface CreateTokenInput {
  name: string;
  expiresInSec: number;
  permissions?: Permission[] | undefined;
}

function requireUser(principal: Principal): void {
  if (principal.kind !== 'user') throw forbidden('only users hold personal access tokens');
}

/** The caller's tokens that still work, newest first. */
export async function listTokens(ctx: AppContext, principal: Principal): Promise<z.infer<typeof AccessToken>[]> {
  requireUser(principal);
  const rows = await ctx.db
    .select()
    .from(accessTokens)
    .where(and(eq(accessTokens.userId, principal.id), isNull(accessTokens.revokedAt), gt(accessTokens.expiresAt, ctx.now())))
    .orderBy(desc(accessTokens.createdAt));
  return rows.map(toAccessToken);
}

/**
 * Creates a token for the caller. Requested permissions must be ones the caller has (`admin` covers all). A token
 * created through another token inherits that token's permissions, so narrowing can never be undone.
 */
export async function createToken(
  ctx: AppContext,
  principal: Principal,
  input: CreateTokenInput,
  kind: 'personal' | 'extension' = 'personal',
): Promise<z.infer<typeof CreatedToken>> {
  requireUser(principal);
  let permissions: Permission[] | null = null;
  if (input.permissions) {
    const notHeld = input.permissions.filter((p) => !can(principal, p));
    if (notHeld.length) throw invalid(`a token cannot carry permissions you do not have: ${notHeld.join(', ')}`, { permissions: notHeld });
    permissions = [...new Set(input.permissions)].sort();
  } else if (principal.via !== 'session') {
    permissions = [...principal.permissions].sort();
  }
  const token = newToken(tokenPrefixes.pat);
  const now = ctx.now();
  const row = await ctx.db.transaction(async (tx) => {
    // Ended tokens are kept for a while so their use is answered `expired` or `revoked`, then cleared (the audit
    // log holds their history). Only live ones count against the limit.
    const retained = new Date(now.getTime() - endedCredentialRetentionMs);
    await tx
      .delete(accessTokens)
      .where(and(eq(accessTokens.userId, principal.id), or(lte(accessTokens.revokedAt, retained), lte(accessTokens.expiresAt, retained))));
    const [{ n } = { n: 0 }] = await tx
      .select({ n: count() })
      .from(accessTokens)
      .where(and(eq(accessTokens.userId, principal.id), isNull(accessTokens.revokedAt), gt(accessTokens.expiresAt, now)));
    if (n >= maxActiveTokens) throw limitExceeded(`you already hold ${maxActiveTokens} tokens; revoke some first`);
    const [created] = await tx
      .insert(accessTokens)
      .values({
        userId: principal.id,
        name: input.name,
        prefix: token.slice(0, 12),
        tokenHash: hashToken(token),
        permissions,
        expiresAt: new Date(now.getTime() + input.expiresInSec * 1000),
        createdAt: now,
      })
      .returning();
    await appendAudit(
      tx,
      {
        actor: principal.label,
        action: 'token.create',
        target: `token:${created!.id}`,
        details: { name: input.name, kind, prefix: created!.prefix, permissions, expiresAt: created!.expiresAt.toISOString() },
      },
      now,
    );
    return created!;
  });
  return { ...toAccessToken(row), token };
}

/** Revokes one of the caller's own tokens; someone else's is reported as not found. */
export async function revokeToken(ctx: AppContext, principal: Principal, id: string): Promise<void> {
  requireUser(principal);
  await ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .update(accessTokens)
      .set({ revokedAt: ctx.now() })
      .where(and(eq(accessTokens.id, id), eq(accessTokens.userId, principal.id), isNull(accessTokens.revokedAt)))
      .returning();
    if (!row) throw notFound('token');
    await appendAudit(tx, { actor: principal.label, action: 'token.revoke', target: `token:${id}`, details: { name: row.name } }, ctx.now());
  });
  invalidatePrincipals();
}

/**
 * The browser extension's sign-in: a console session trades itself for a short-lived token that can only do
 * what the launcher panel needs (run actions, read devices, trigger campaigns), and only those the user has.
 */
export async function issueExtensionToken(
  ctx: AppContext,
  principal: Principal,
  input: { expiresInSec: number },
): Promise<z.infer<typeof CreatedToken>> {
  if (principal.via !== 'session') throw forbidden('sign in to the console first; extension tokens are issued to a browser session');
  const permissions = extensionPermissions.filter((p) => can(principal, p));
  if (!permissions.length) throw forbidden('your roles allow nothing the extension can do');
  return createToken(ctx, principal, { name: 'browser extension', expiresInSec: input.expiresInSec, permissions }, 'extension');
}
