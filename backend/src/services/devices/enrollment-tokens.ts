import { count, desc, eq } from 'drizzle-orm';
import { Id, type CreateEnrollmentToken, type CreatedEnrollmentToken, type EnrollmentToken } from '@fixpoint/protocol';
import type { AppContext } from '../../context';
import { enrollmentTokens } from '../../db/schema';
import { badRequest, notFound } from '../../errors';
import type { Principal } from '../identity/rights';
import { appendAudit } from '../audit';
import { hashToken, newToken, tokenPrefixes } from '../identity/tokens';
import { toEnrollmentToken } from './convert';
import { pageOf } from '../page';

/** Creates an enrollment token. The plain token is returned here only; the database keeps its hash. */
export async function createEnrollmentToken(
  ctx: AppContext,
  input: { principal: Principal; token: CreateEnrollmentToken },
): Promise<CreatedEnrollmentToken> {
  const { principal, token: spec } = input;
  if (spec.oneTime && spec.maxUses !== undefined && spec.maxUses !== 1)
    throw badRequest('a one-time token has exactly one use: drop maxUses or set oneTime to false');
  const token = newToken(tokenPrefixes.enrollment);
  const now = ctx.now();
  const row = await ctx.db.transaction(async (tx) => {
    const [created] = await tx
      .insert(enrollmentTokens)
      .values({
        tokenHash: hashToken(token),
        description: spec.description,
        oneTime: spec.oneTime,
        tags: spec.tags,
        // one-time is stored as a single use, so the spend check is one condition for both kinds
        maxUses: spec.oneTime ? 1 : (spec.maxUses ?? null),
        expiresAt: new Date(now.getTime() + spec.expiresInSec * 1000),
        createdAt: now,
        createdBy: principal.label,
      })
      .returning();
    await appendAudit(
      tx,
      {
        actor: principal.label,
        action: 'enrollment-token.create',
        target: `enrollment-token:${created!.id}`,
        details: { oneTime: spec.oneTime, tags: spec.tags, maxUses: created!.maxUses, expiresAt: created!.expiresAt.toISOString() },
      },
      now,
    );
    return created!;
  });
  return { ...toEnrollmentToken(row), token };
}

export async function listEnrollmentTokens(
  ctx: AppContext,
  input: { limit: number; offset: number },
): Promise<{ items: EnrollmentToken[]; total: number; next: number | null }> {
  const rows = await ctx.db
    .select()
    .from(enrollmentTokens)
    .orderBy(desc(enrollmentTokens.createdAt), desc(enrollmentTokens.id))
    .limit(input.limit)
    .offset(input.offset);
  const [{ total } = { total: 0 }] = await ctx.db.select({ total: count() }).from(enrollmentTokens);
  return pageOf(rows.map(toEnrollmentToken), total, input.offset);
}

/** Revokes a token: later enrollments with it fail. Revoking twice is a no-op; devices already enrolled stay. */
export async function revokeEnrollmentToken(ctx: AppContext, input: { principal: Principal; id: string }): Promise<void> {
  if (!Id.safeParse(input.id).success) throw notFound('enrollment token');
  const now = ctx.now();
  await ctx.db.transaction(async (tx) => {
    const [row] = await tx.select().from(enrollmentTokens).where(eq(enrollmentTokens.id, input.id)).for('update');
    if (!row) throw notFound('enrollment token');
    if (row.revokedAt) return;
    await tx.update(enrollmentTokens).set({ revokedAt: now }).where(eq(enrollmentTokens.id, input.id));
    await appendAudit(
      tx,
      { actor: input.principal.label, action: 'enrollment-token.revoke', target: `enrollment-token:${input.id}`, details: {} },
      now,
    );
  });
}
