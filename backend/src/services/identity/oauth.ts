/** @module OAuth2 client-credentials grant (RFC 6749 §4.4): a client trades its secret for a 15-minute bearer token. */
import { timingSafeEqual } from 'node:crypto';
import { eq, lte } from 'drizzle-orm';
import type { z } from 'zod';
import type { TokenResponse } from '@fixpoint/protocol';
import type { AppContext } from '../../context';
import { apiClients, clientTokens } from '../../db/schema';
import { unauthenticated } from '../../errors';
import { appendAudit } from '../audit';
import { credentialGuardFor } from './credential-guard';
import { endedCredentialRetentionMs, hashToken, newToken, tokenPrefixes } from './tokens';

const clientTokenTtlSec = 900;

export interface ClientCredentials {
  clientId: string;
  clientSecret: string;
  /** Client address, for throttling and the audit log. */
  ip: string;
}

/**
 * Checks the client's credentials and issues an access token. Unknown client, wrong secret and disabled client all
 * give the same 401. Failures are throttled per client id and per address like sign-ins (429 with Retry-After) and
 * audited in aggregate. Tokens past their retention are deleted on the way, so the table stays small.
 */
export async function issueClientToken(ctx: AppContext, input: ClientCredentials): Promise<z.infer<typeof TokenResponse>> {
  const guard = credentialGuardFor(ctx);
  const attempt = { target: `client:${input.clientId}`, address: input.ip };
  guard.assertMayTry(attempt);
  const [client] = await ctx.db.select().from(apiClients).where(eq(apiClients.clientId, input.clientId));
  const presented = Buffer.from(hashToken(input.clientSecret), 'hex');
  const secretOk = !!client && timingSafeEqual(presented, Buffer.from(client.secretHash, 'hex'));
  if (!client || !secretOk || client.disabled) {
    // Only known clients are audited: unknown ids would let anyone fill the log.
    await guard.recordFailure(attempt, { action: 'auth.client_token_failed', reason: secretOk ? 'disabled' : 'wrong_secret' }, !!client);
    throw unauthenticated('invalid client credentials');
  }
  guard.recordSuccess(attempt);
  const token = newToken(tokenPrefixes.clientToken);
  const now = ctx.now();
  await ctx.db.transaction(async (tx) => {
    await tx.delete(clientTokens).where(lte(clientTokens.expiresAt, new Date(now.getTime() - endedCredentialRetentionMs)));
    await tx.insert(clientTokens).values({ tokenHash: hashToken(token), apiClientId: client.id, expiresAt: new Date(now.getTime() + clientTokenTtlSec * 1000) });
    await appendAudit(tx, { actor: `client:${client.clientId}`, action: 'auth.client_token', target: `client:${client.clientId}` }, now);
  });
  return { access_token: token, token_type: 'Bearer', expires_in: clientTokenTtlSec };
}
