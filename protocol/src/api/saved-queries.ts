/** @module Saved queries: named devices queries, used as dynamic categories (launch targets and role scopes). */
import { PageQuery, SavedQuery, SavedQueryInput, page } from '../index';
import { endpoint } from './endpoint';
import { ById } from './params';

const tag = 'Saved queries';

export const savedQueries = {
  list: endpoint({
    method: 'get',
    path: '/saved-queries',
    summary: 'List saved queries by name',
    tag,
    auth: 'devices:read',
    query: PageQuery,
    response: page(SavedQuery),
  }),
  get: endpoint({
    method: 'get',
    path: '/saved-queries/:id',
    summary: 'Get a saved query',
    tag,
    auth: 'devices:read',
    params: ById,
    response: SavedQuery,
  }),
  create: endpoint({
    method: 'post',
    path: '/saved-queries',
    summary: 'Save a devices query under a name',
    tag,
    auth: 'devices:edit',
    body: SavedQueryInput,
    response: SavedQuery,
    status: 201,
  }),
  update: endpoint({
    method: 'put',
    path: '/saved-queries/:id',
    summary: 'Replace a saved query; one that scopes a role needs admin, since it changes what the role reaches',
    tag,
    auth: 'devices:edit',
    params: ById,
    body: SavedQueryInput,
    response: SavedQuery,
  }),
  remove: endpoint({
    method: 'delete',
    path: '/saved-queries/:id',
    summary: 'Delete a saved query that no role scope uses',
    tag,
    auth: 'devices:edit',
    params: ById,
    status: 204,
  }),
};
