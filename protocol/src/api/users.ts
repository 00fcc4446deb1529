/** @module User accounts (admin only). */
import { PageQuery, page } from '../common';
import { UpdatedUser, User, UserInput, UserPatch } from '../identity';
import { endpoint } from './endpoint';
import { ById } from './params';

const tag = 'Users';

export const users = {
  list: endpoint({
    method: 'get',
    path: '/users',
    summary: 'Lists users with their roles, by e-mail.',
    tag,
    auth: 'admin',
    query: PageQuery,
    response: page(User),
  }),
  create: endpoint({
    method: 'post',
    path: '/users',
    summary: 'Creates a user with a password and at least one role.',
    tag,
    auth: 'admin',
    body: UserInput,
    response: User,
    status: 201,
  }),
  get: endpoint({
    method: 'get',
    path: '/users/:id',
    summary: 'Reads one user.',
    tag,
    auth: 'admin',
    params: ById,
    response: User,
  }),
  update: endpoint({
    method: 'patch',
    path: '/users/:id',
    summary:
      "Changes a user's name, password, roles or disabled flag. Resetting another user's password ends all their sessions, revokes their personal access tokens and makes them set a new password at next sign-in; setting your own keeps only your current session. Disabling a user ends their sessions. `sessionsEnded` and `tokensRevoked` say how many. 409 when no enabled admin would remain.",
    tag,
    auth: 'admin',
    params: ById,
    body: UserPatch,
    response: UpdatedUser,
  }),
  remove: endpoint({
    method: 'delete',
    path: '/users/:id',
    summary: 'Deletes a user with their sessions and tokens. 409 for the last enabled admin.',
    tag,
    auth: 'admin',
    params: ById,
    status: 204,
  }),
};
