/** @module OAuth2 client-credentials clients for third-party portals and ticketing systems. */
import { randomBytes } from 'node:crypto';
import { and, asc, count, eq, isNull } from 'drizzle-orm';
import type { z } from 'zod';
import type { ApiClient, ApiClientInput, CreatedApiClient } from '@fixpoint/protocol';
import type { AppContext } from '../../context';
import type { Tx } from '../../db';
import { apiClientRoles, apiClients, clientTokens } from '../../db/schema';
import { notFound } from '../../errors';
import type { Principal } from './rights';
import { appendAudit } from '../audit';
import { toApiClient } from './converters';
import { invalidatePrincipals } from './principal';
import { roleIdsByName, roleNamesOfClients } from './role-links';
import { hashToken, newToken, tokenPrefixes } from './tokens';
import type { PageInput } from './users';

type ApiClientWire = z.infer<typeof ApiClient>;

/** Public identifier of a client, e.g. `fxp_client_3f9a…`; not a secret. */
export function newClientId(): string {
  return `fxp_client_${randomBytes(16).toString('hex')}`;
}

async function loadClient(tx: Tx, id: string): Promise<ApiClientWire> {
  const [row] = await tx.select().from(apiClients).where(eq(apiClients.id, id));
  if (!row) throw notFound('API client');
  return toApiClient(row, (await roleNamesOfClients(tx, [id])).get(id) ?? []);
}

export async function listApiClients(ctx: AppContext, input: PageInput): Promise<{ items: ApiClientWire[]; total: number; next: number | null }> {
  const rows = await ctx.db.select().from(apiClients).orderBy(asc(apiClients.name), asc(apiClients.createdAt)).limit(input.limit).offset(input.offset);
  const [{ n } = { n: 0 }] = await ctx.db.select({ n: count() }).from(apiClients);
  const names = await roleNamesOfClients(ctx.db, rows.map((r) => r.id));
  const next = input.offset + rows.length < n ? input.offset + rows.length : null;
  return { items: rows.map((r) => toApiClient(r, names.get(r.id) ?? [])), total: n, next };
}

/** Creates a client; its secret is returned this once and stored only as a SHA-256 (it is long and random). */
export async function createApiClient(
  ctx: AppContext,
  principal: Principal,
  input: z.output<typeof ApiClientInput>,
): Promise<z.infer<typeof CreatedApiClient>> {
  const clientSecret = newToken(tokenPrefixes.clientSecret);
  return ctx.db.transaction(async (tx) => {
    const roleIds = await roleIdsByName(tx, input.roles);
    const [row] = await tx
      .insert(apiClients)
      .values({ clientId: newClientId(), name: input.name, secretHash: hashToken(clientSecret), createdAt: ctx.now() })
      .returning();
    await tx.insert(apiClientRoles).values(roleIds.map((roleId) => ({ apiClientId: row!.id, roleId })));
    await appendAudit(
      tx,
      { actor: principal.label, action: 'client.create', target: `client:${row!.clientId}`, details: { name: input.name, roles: input.roles } },
      ctx.now(),
    );
    return { ...(await loadClient(tx, row!.id)), clientSecret };
  });
}

/** Deletes a client; its outstanding access tokens go with it. */
export async function deleteApiClient(ctx: AppContext, principal: Principal, id: string): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    const [row] = await tx.delete(apiClients).where(eq(apiClients.id, id)).returning();
    if (!row) throw notFound('API client');
    await appendAudit(tx, { actor: principal.label, action: 'client.delete', target: `client:${row.clientId}`, details: { name: row.name } }, ctx.now());
  });
  invalidatePrincipals();
}

/** Issues a new secret and ends every access token issued under the old one. */
export async function rotateApiClientSecret(ctx: AppContext, principal: Principal, id: string): Promise<z.infer<typeof CreatedApiClient>> {
  const clientSecret = newToken(tokenPrefixes.clientSecret);
  const client = await ctx.db.transaction(async (tx) => {
    const [row] = await tx.update(apiClients).set({ secretHash: hashToken(clientSecret) }).where(eq(apiClients.id, id)).returning();
    if (!row) throw notFound('API client');
    // Marked, not deleted, so a caller still using one is told it was revoked.
    await tx.update(clientTokens).set({ revokedAt: ctx.now() }).where(and(eq(clientTokens.apiClientId, id), isNull(clientTokens.revokedAt)));
    await appendAudit(tx, { actor: principal.label, action: 'client.rotate_secret', target: `client:${row.clientId}` }, ctx.now());
    return loadClient(tx, id);
  });
  invalidatePrincipals();
  return { ...client, clientSecret };
}
