/** @module Handlers of saved queries: named devices queries used as dynamic categories. */
import { api } from '@fixpoint/protocol/api';
import { route } from '../http/route';
import { createSavedQuery, deleteSavedQuery, getSavedQuery, listSavedQueries, updateSavedQuery } from '../services/devices';

const { savedQueries } = api;

export const savedQueriesRoutes = [
  route(savedQueries.list, ({ ctx, query }) => listSavedQueries(ctx, query)),
  route(savedQueries.get, ({ ctx, params }) => getSavedQuery(ctx, params.id)),
  route(savedQueries.create, ({ ctx, principal, body }) => createSavedQuery(ctx, { principal, body })),
  route(savedQueries.update, ({ ctx, principal, params, body }) => updateSavedQuery(ctx, { principal, id: params.id, body })),
  route(savedQueries.remove, async ({ ctx, principal, params }) => {
    await deleteSavedQuery(ctx, { principal, id: params.id });
    return null;
  }),
];
