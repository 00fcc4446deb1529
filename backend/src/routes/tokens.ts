/** @module The caller's personal access tokens. */
import { z } from 'zod';
import { AccessToken, CreateToken, CreatedToken, Id, page } from '@fixpoint/protocol';
import { route } from '../http/route';
import { createToken, listTokens, revokeToken } from '../services/identity';

export const tokensRoutes = [
  route({
    method: 'get',
    path: '/tokens',
    summary: "Lists the caller's unexpired, unrevoked personal access tokens (never the token itself).",
    tag: 'tokens',
    auth: 'authenticated',
    response: page(AccessToken),
    handler: async ({ ctx, principal }) => {
      const items = await listTokens(ctx, principal);
      return { items, total: items.length, next: null };
    },
  }),
  route({
    method: 'post',
    path: '/tokens',
    summary:
      'Creates a personal access token; the token is in this response only. `permissions` narrows it to a subset of your own (400 otherwise).',
    tag: 'tokens',
    auth: 'authenticated',
    body: CreateToken,
    response: CreatedToken,
    status: 201,
    handler: async ({ ctx, principal, body }) => createToken(ctx, principal, body),
  }),
  route({
    method: 'delete',
    path: '/tokens/:id',
    summary: 'Revokes one of your tokens.',
    tag: 'tokens',
    auth: 'authenticated',
    params: z.object({ id: Id }),
    status: 204,
    handler: async ({ ctx, principal, params }) => {
      await revokeToken(ctx, principal, params.id);
      return null;
    },
  }),
];
