/** @module OAuth2 client-credentials clients (admin only). Tokens come from POST /oauth/token (routes/auth.ts). */
import { z } from 'zod';
import { ApiClient, ApiClientInput, CreatedApiClient, Id, page, PageQuery } from '@fixpoint/protocol';
import { route } from '../http/route';
import { createApiClient, deleteApiClient, listApiClients, rotateApiClientSecret } from '../services/identity';

const ClientParams = z.object({ id: Id });

export const apiClientsRoutes = [
  route({
    method: 'get',
    path: '/api-clients',
    summary: 'Lists API clients with their roles.',
    tag: 'api-clients',
    auth: 'admin',
    query: PageQuery,
    response: page(ApiClient),
    handler: async ({ ctx, query }) => listApiClients(ctx, query),
  }),
  route({
    method: 'post',
    path: '/api-clients',
    summary: 'Creates an API client; `clientSecret` is in this response only.',
    tag: 'api-clients',
    auth: 'admin',
    body: ApiClientInput,
    response: CreatedApiClient,
    status: 201,
    handler: async ({ ctx, principal, body }) => createApiClient(ctx, principal, body),
  }),
  route({
    method: 'delete',
    path: '/api-clients/:id',
    summary: 'Deletes an API client and ends its access tokens.',
    tag: 'api-clients',
    auth: 'admin',
    params: ClientParams,
    status: 204,
    handler: async ({ ctx, principal, params }) => {
      await deleteApiClient(ctx, principal, params.id);
      return null;
    },
  }),
  route({
    method: 'post',
    path: '/api-clients/:id/rotate-secret',
    summary: 'Issues a new client secret (in this response only) and ends the access tokens issued under the old one.',
    tag: 'api-clients',
    auth: 'admin',
    params: ClientParams,
    response: CreatedApiClient,
    handler: async ({ ctx, principal, params }) => rotateApiClientSecret(ctx, principal, params.id),
  }),
];
