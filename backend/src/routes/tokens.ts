/** @module Handlers of the caller's personal access tokens. */
import { api } from '@fixpoint/protocol/api';
import { route } from '../http/route';
import { createToken, listTokens, revokeToken } from '../services/identity';

const { tokens } = api;

export const tokensRoutes = [
  route(tokens.list, async ({ ctx, principal }) => {
    const items = await listTokens(ctx, principal);
    return { items, total: items.length, next: null };
  }),
  route(tokens.create, async ({ ctx, principal, body }) => createToken(ctx, principal, body)),
  route(tokens.revoke, async ({ ctx, principal, params }) => {
    await revokeToken(ctx, principal, params.id);
    return null;
  }),
];
