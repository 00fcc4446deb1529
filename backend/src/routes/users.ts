/** @module User accounts (admin only). */
import { z } from 'zod';
import { Id, page, PageQuery, UpdatedUser, User, UserInput, UserPatch } from '@fixpoint/protocol';
import { route } from '../http/route';
import { createUser, deleteUser, getUser, listUsers, updateUser } from '../services/identity';

const UserParams = z.object({ id: Id });

export const usersRoutes = [
  route({
    method: 'get',
    path: '/users',
    summary: 'Lists users with their roles, by e-mail.',
    tag: 'users',
    auth: 'admin',
    query: PageQuery,
    response: page(User),
    handler: async ({ ctx, query }) => listUsers(ctx, query),
  }),
  route({
    method: 'post',
    path: '/users',
    summary: 'Creates a user with a password and at least one role.',
    tag: 'users',
    auth: 'admin',
    body: UserInput,
    response: User,
    status: 201,
    handler: async ({ ctx, principal, body }) => createUser(ctx, principal, body),
  }),
  route({
    method: 'get',
    path: '/users/:id',
    summary: 'Reads one user.',
    tag: 'users',
    auth: 'admin',
    params: UserParams,
    response: User,
    handler: async ({ ctx, params }) => getUser(ctx, params.id),
  }),
  route({
    method: 'patch',
    path: '/users/:id',
    summary:
      "Changes a user's name, password, roles or disabled flag. Resetting another user's password ends all their sessions, revokes their personal access tokens and makes them set a new password at next sign-in; setting your own keeps only your current session. Disabling a user ends their sessions. `sessionsEnded` and `tokensRevoked` say how many. 409 when no enabled admin would remain.",
    tag: 'users',
    auth: 'admin',
    params: UserParams,
    body: UserPatch,
    response: UpdatedUser,
    handler: async ({ ctx, principal, params, body }) => updateUser(ctx, principal, params.id, body),
  }),
  route({
    method: 'delete',
    path: '/users/:id',
    summary: 'Deletes a user with their sessions and tokens. 409 for the last enabled admin.',
    tag: 'users',
    auth: 'admin',
    params: UserParams,
    status: 204,
    handler: async ({ ctx, principal, params }) => {
      await deleteUser(ctx, principal, params.id);
      return null;
    },
  }),
];
