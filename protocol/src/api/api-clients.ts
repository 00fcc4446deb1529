/** @module OAuth2 client-credentials clients (admin only). Tokens come from POST /oauth/token (auth.oauthToken). */
import { PageQuery, page } from '../common';
import { ApiClient, ApiClientInput, CreatedApiClient } from '../identity';
import { endpoint } from './endpoint';
import { ById } from './params';

const tag = 'API clients';

export const apiClients = {
  list: endpoint({
    method: 'get',
    path: '/api-clients',
    summary: 'Lists API clients with their roles.',
    tag,
    auth: 'admin',
    query: PageQuery,
    response: page(ApiClient),
  }),
  create: endpoint({
    method: 'post',
    path: '/api-clients',
    summary: 'Creates an API client; `clientSecret` is in this response only.',
    tag,
    auth: 'admin',
    body: ApiClientInput,
    response: CreatedApiClient,
    status: 201,
  }),
  remove: endpoint({
    method: 'delete',
    path: '/api-clients/:id',
    summary: 'Deletes an API client and ends its access tokens.',
    tag,
    auth: 'admin',
    params: ById,
    status: 204,
  }),
  rotateSecret: endpoint({
    method: 'post',
    path: '/api-clients/:id/rotate-secret',
    summary: 'Issues a new client secret (in this response only) and ends the access tokens issued under the old one.',
    tag,
    auth: 'admin',
    params: ById,
    response: CreatedApiClient,
  }),
};
