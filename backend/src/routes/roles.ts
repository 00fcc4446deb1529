/** @module Handlers of roles (admin only). Built-in roles are fixed, except which actions `support` may run and where. */
import { api } from '@fixpoint/protocol/api';
import { route } from '../http/route';
import { createRole, deleteRole, getRole, listRoles, updateRole } from '../services/identity';

const { roles } = api;

export const rolesRoutes = [
  route(roles.list, async ({ ctx, query }) => listRoles(ctx, query)),
  route(roles.create, async ({ ctx, principal, body }) => createRole(ctx, principal, body)),
  route(roles.get, async ({ ctx, params }) => getRole(ctx, params.id)),
  route(roles.update, async ({ ctx, principal, params, body }) => updateRole(ctx, principal, params.id, body)),
  route(roles.remove, async ({ ctx, principal, params }) => {
    await deleteRole(ctx, principal, params.id);
    return null;
  }),
];
