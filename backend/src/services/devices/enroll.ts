import { createPublicKey } from 'node:crypto';
import { and, eq, gt, isNull, lt, sql } from 'drizzle-orm';
import { PROTOCOL_VERSION, type EnrollRequest, type EnrollResponse } from '@fixpoint/protocol';
import type { AppContext } from '../../context';
import { devices, enrollmentTokens } from '../../db/schema';
import { AppError, badRequest } from '../../errors';
import { appendAudit } from '../audit';
import { hashToken } from '../identity/tokens';

/** Checks that `publicKey` is a base64 SPKI DER Ed25519 key and returns it in canonical base64. */
function parseDevicePublicKey(publicKey: string): string {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(publicKey)) throw badRequest('publicKey must be base64 (SPKI DER)');
  try {
    const key = createPublicKey({ key: Buffer.from(publicKey, 'base64'), format: 'der', type: 'spki' });
    if (key.asymmetricKeyType !== 'ed25519') throw new Error('not ed25519');
    return key.export({ type: 'spki', format: 'der' }).toString('base64');
  } catch {
    throw badRequest('publicKey must be an Ed25519 public key in base64 SPKI DER');
  }
}

/**
 * Enrolls a device with an enrollment token. The token is spent by one conditional UPDATE (uses below the limit,
 * not revoked, not expired), so two concurrent enrollments with a one-time token cannot both win: the row lock
 * makes the second re-check the condition after the first commits.
 */
export async function enrollDevice(ctx: AppContext, input: EnrollRequest): Promise<EnrollResponse> {
  const publicKey = parseDevicePublicKey(input.publicKey);
  const tokenHash = hashToken(input.token);
  const now = ctx.now();
  const device = await ctx.db.transaction(async (tx) => {
    const [token] = await tx
      .update(enrollmentTokens)
      .set({ uses: sql`${enrollmentTokens.uses} + 1` })
      .where(
        and(
          eq(enrollmentTokens.tokenHash, tokenHash),
          isNull(enrollmentTokens.revokedAt),
          gt(enrollmentTokens.expiresAt, now),
          lt(enrollmentTokens.uses, sql`coalesce(${enrollmentTokens.maxUses}, 2147483647)`),
        ),
      )
      .returning();
    if (!token) throw await whyRejected(tx, tokenHash, now);
    const [created] = await tx
      .insert(devices)
      .values({
        name: input.name,
        platform: input.platform,
        osVersion: input.osVersion,
        agentVersion: input.agentVersion,
        publicKey,
        tags: token.tags,
        facts: input.facts,
        enrolledAt: now,
        enrollmentTokenId: token.id,
      })
      .returning();
    await appendAudit(
      tx,
      {
        actor: `enrollment-token:${token.id}`,
        action: 'device.enroll',
        target: `device:${created!.id}`,
        details: { name: created!.name, platform: created!.platform, tags: created!.tags },
      },
      now,
    );
    return created!;
  });
  return {
    deviceId: device.id,
    serverPublicKey: ctx.signingKey.publicKeyDer,
    serverKeyId: ctx.signingKey.keyId,
    protocolVersion: PROTOCOL_VERSION,
    updatePublicKey: ctx.config.updatePublicKey ?? null,
  };
}

// Only the holder of a token reaches these messages, so naming the reason leaks nothing.
async function whyRejected(tx: Pick<AppContext['db'], 'select'>, tokenHash: string, now: Date): Promise<AppError> {
  const [row] = await tx.select().from(enrollmentTokens).where(eq(enrollmentTokens.tokenHash, tokenHash));
  if (!row) return new AppError(401, 'unauthenticated', 'unknown enrollment token');
  if (row.revokedAt) return new AppError(403, 'forbidden', 'this enrollment token was revoked');
  if (row.expiresAt <= now) return new AppError(403, 'forbidden', 'this enrollment token has expired');
  return new AppError(403, 'forbidden', row.oneTime ? 'this one-time enrollment token was already used' : 'this enrollment token has no uses left');
}
