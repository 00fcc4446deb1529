/** @module Roles (admin only). Built-in roles are fixed, except which actions `support` may run and where. */
import { z } from 'zod';
import { Id, PageQuery, Slug, page } from '../common';
import { manualActionsEntry, Role, RoleInput, RoleName } from '../identity';
import { endpoint } from './endpoint';

const tag = 'Roles';
/** A role is named by id or by name. */
const ByIdOrName = z.object({ id: z.union([Id, RoleName]) });

// runnableActions names actions by slug; "*" stands for every action, "@manual" for every action launchable by hand.
const RoleBody = RoleInput.superRefine((role, check) => {
  role.runnableActions.forEach((entry, i) => {
    if (entry !== '*' && entry !== manualActionsEntry && !Slug.safeParse(entry).success)
      check.addIssue({ code: 'custom', path: ['runnableActions', i], message: `use an action slug, "${manualActionsEntry}" or "*"` });
  });
});

export const roles = {
  list: endpoint({
    method: 'get',
    path: '/roles',
    summary: 'Lists roles by name, built-in ones included.',
    tag,
    auth: 'admin',
    query: PageQuery,
    response: page(Role),
  }),
  create: endpoint({
    method: 'post',
    path: '/roles',
    summary: 'Creates a custom role: permissions, the action slugs it may run (or "*"), and its device scope.',
    tag,
    auth: 'admin',
    body: RoleBody,
    response: Role,
    status: 201,
  }),
  get: endpoint({
    method: 'get',
    path: '/roles/:id',
    summary: 'Reads one role, by id or by name.',
    tag,
    auth: 'admin',
    params: ByIdOrName,
    response: Role,
  }),
  update: endpoint({
    method: 'put',
    path: '/roles/:id',
    summary:
      'Replaces a role (by id or name). Built-in roles give 409, except `support`, whose runnableActions and deviceScope may change; send its name, description and permissions unchanged.',
    tag,
    auth: 'admin',
    params: ByIdOrName,
    body: RoleBody,
    response: Role,
  }),
  remove: endpoint({
    method: 'delete',
    path: '/roles/:id',
    summary: 'Deletes a custom role that no user or API client holds; built-in roles and roles in use give 409.',
    tag,
    auth: 'admin',
    params: ByIdOrName,
    status: 204,
  }),
};
