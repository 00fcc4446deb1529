/** @module The caller's personal access tokens. */
import { page } from '../common';
import { AccessToken, CreatedToken, CreateToken } from '../identity';
import { endpoint } from './endpoint';
import { ById } from './params';

const tag = 'Access tokens';

export const tokens = {
  list: endpoint({
    method: 'get',
    path: '/tokens',
    summary: "Lists the caller's unexpired, unrevoked personal access tokens (never the token itself).",
    tag,
    auth: 'authenticated',
    response: page(AccessToken),
  }),
  create: endpoint({
    method: 'post',
    path: '/tokens',
    summary:
      'Creates a personal access token; the token is in this response only. `permissions` narrows it to a subset of your own (400 otherwise).',
    tag,
    auth: 'authenticated',
    body: CreateToken,
    response: CreatedToken,
    status: 201,
  }),
  revoke: endpoint({
    method: 'delete',
    path: '/tokens/:id',
    summary: 'Revokes one of your tokens.',
    tag,
    auth: 'authenticated',
    params: ById,
    status: 204,
  }),
};
