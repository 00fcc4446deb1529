/** @module The query language over HTTP: devices and executions, limited to the caller's device scope. */
import { api } from '@fixpoint/protocol/api';
import { route } from '../http/route';
import { runScopedQuery } from '../services/query';

export const queryRoutes = [route(api.query.run, ({ ctx, principal, body }) => runScopedQuery(ctx, { principal, request: body }))];
