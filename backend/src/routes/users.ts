/** @module Handlers of user accounts (admin only). */
import { api } from '@fixpoint/protocol/api';
import { route } from '../http/route';
import { createUser, deleteUser, getUser, listUsers, updateUser } from '../services/identity';

const { users } = api;

export const usersRoutes = [
  route(users.list, async ({ ctx, query }) => listUsers(ctx, query)),
  route(users.create, async ({ ctx, principal, body }) => createUser(ctx, principal, body)),
  route(users.get, async ({ ctx, params }) => getUser(ctx, params.id)),
  route(users.update, async ({ ctx, principal, params, body }) => updateUser(ctx, principal, params.id, body)),
  route(users.remove, async ({ ctx, principal, params }) => {
    await deleteUser(ctx, principal, params.id);
    return null;
  }),
];
