/** @module OAuth2 client-credentials grant (RFC 6749 §4.4): a client trades its secret for a 15-minute bearer token. */
import { timingSafeEqual } from 'node:crypto';
import { eq, lte } from 'drizzle-orm';
import type { z } from 'zod';
import type { TokenResponse } from '@fixpoint/protocol';
import type { AppContext } from '../../context';
import { apiClients, clientTokens } from '../../db/schema';
import { unauthenticated } from '../../errors';
import { appendAudit } from '../audit';
import { hashToken, newToken, tokenPrefixes } from './tokens';

export const clientTokenTtlSec = 900;

export interface ClientCredentials {
  clientId: string;
  clientSecret: string;
}

/**
 * Checks the client's credentials and issues an access token. Unknown client, wrong secret and disabled client all
 * give the same 401. Expired tokens of every client are deleted on the way, so the table stays small.
 */
export async function issueClientToken(ctx: AppContext, input: ClientCredentials): Promise<z.infer<typeof TokenResponse>> {
  const [client] = await ctx.db.select().from(apiClients).where(eq(apiClients.clientId, input.clientId));
  const presented = Buffer.from(hashToken(input.clientSecret), 'hex');
  const secretOk = !!client && timingSafeEqual(presented, Buffer.from(client.secretHash, 'hex'));
  if (!client || !secretOk || client.disabled) {
    // Only known clients are audited: unknown ids would let anyone fill the log.
    if (client)
      await ctx.db.transaction((tx) =>
        appendAudit(
          tx,
          { actor: 'anonymous', action: 'auth.client_token_failed', target: `client:${client.clientId}`, details: { reason: secretOk ? 'disabled' : 'wrong_secret' } },
          ctx.now(),
        ),
      );
    throw unauthenticated('invalid client credentials');
  }
  const token = newToken(tokenPrefixes.clientToken);
  const now = ctx.now();
  await ctx.db.transaction(async (tx) => {
    await tx.delete(clientTokens).where(lte(clientTokens.expiresAt, now));
    await tx.insert(clientTokens).values({ tokenHash: hashToken(token), apiClientId: client.id, expiresAt: new Date(now.getTime() + clientTokenTtlSec * 1000) });
    await appendAudit(tx, { actor: `client:${client.clientId}`, action: 'auth.client_token', target: `client:${client.clientId}` }, now);
  });
  return { access_token: token, token_type: 'Bearer', expires_in: clientTokenTtlSec };
}
