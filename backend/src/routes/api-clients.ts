/** @module Handlers of OAuth2 client-credentials clients (admin only). Tokens come from POST /oauth/token (routes/auth.ts). */
import { api } from '@fixpoint/protocol/api';
import { route } from '../http/route';
import { createApiClient, deleteApiClient, listApiClients, rotateApiClientSecret } from '../services/identity';

const { apiClients } = api;

export const apiClientsRoutes = [
  route(apiClients.list, async ({ ctx, query }) => listApiClients(ctx, query)),
  route(apiClients.create, async ({ ctx, principal, body }) => createApiClient(ctx, principal, body)),
  route(apiClients.remove, async ({ ctx, principal, params }) => {
    await deleteApiClient(ctx, principal, params.id);
    return null;
  }),
  route(apiClients.rotateSecret, async ({ ctx, principal, params }) => rotateApiClientSecret(ctx, principal, params.id)),
];
