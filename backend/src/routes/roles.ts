/** @module Roles (admin only). Built-in roles are fixed, except which actions `support` may run and where. */
import { z } from 'zod';
import { Id, page, PageQuery, Role, RoleInput, RoleName, Slug } from '@fixpoint/protocol';
import { route } from '../http/route';
import { createRole, deleteRole, getRole, listRoles, updateRole } from '../services/identity';

const RoleParams = z.object({ id: z.union([Id, RoleName]) });

// runnableActions names actions by slug; "*" stands for every action.
const RoleBody = RoleInput.superRefine((role, check) => {
  role.runnableActions.forEach((entry, i) => {
    if (entry !== '*' && !Slug.safeParse(entry).success)
      check.addIssue({ code: 'custom', path: ['runnableActions', i], message: 'use an action slug or "*"' });
  });
});

export const rolesRoutes = [
  route({
    method: 'get',
    path: '/roles',
    summary: 'Lists roles by name, built-in ones included.',
    tag: 'roles',
    auth: 'admin',
    query: PageQuery,
    response: page(Role),
    handler: async ({ ctx, query }) => listRoles(ctx, query),
  }),
  route({
    method: 'post',
    path: '/roles',
    summary: 'Creates a custom role: permissions, the action slugs it may run (or "*"), and its device scope.',
    tag: 'roles',
    auth: 'admin',
    body: RoleBody,
    response: Role,
    status: 201,
    handler: async ({ ctx, principal, body }) => createRole(ctx, principal, body),
  }),
  route({
    method: 'get',
    path: '/roles/:id',
    summary: 'Reads one role, by id or by name.',
    tag: 'roles',
    auth: 'admin',
    params: RoleParams,
    response: Role,
    handler: async ({ ctx, params }) => getRole(ctx, params.id),
  }),
  route({
    method: 'put',
    path: '/roles/:id',
    summary:
      'Replaces a role (by id or name). Built-in roles give 409, except `support`, whose runnableActions and deviceScope may change; send its name, description and permissions unchanged.',
    tag: 'roles',
    auth: 'admin',
    params: RoleParams,
    body: RoleBody,
    response: Role,
    handler: async ({ ctx, principal, params, body }) => updateRole(ctx, principal, params.id, body),
  }),
  route({
    method: 'delete',
    path: '/roles/:id',
    summary: 'Deletes a custom role that no user or API client holds; built-in roles and roles in use give 409.',
    tag: 'roles',
    auth: 'admin',
    params: RoleParams,
    status: 204,
    handler: async ({ ctx, principal, params }) => {
      await deleteRole(ctx, principal, params.id);
      return null;
    },
  }),
];
