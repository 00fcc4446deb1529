/** @module Handlers of the action library: CRUD with immutable versions, history, import and export. */
import { api } from '@fixpoint/protocol/api';
import { route } from '../http/route';
import { etag, parseIfMatch } from '../http/versions';
import {
  actionVisibility,
  approveVersion,
  archiveAction,
  createAction,
  exportAction,
  getAction,
  getActionVersion,
  importAction,
  listActions,
  listApprovals,
  listActionVersions,
  rejectVersion,
  updateAction,
} from '../services/actions';
import { loadOrCreatePublisherKey } from '../keys';
import { selfServiceUsage } from '../services/self-service';

const { actions } = api;

export const actionsRoutes = [
  route(actions.list, ({ ctx, principal, query }) => listActions(ctx, { ...query, visibility: actionVisibility(principal) })),
  route(actions.create, async ({ ctx, principal, body, c }) => {
    const action = await createAction(ctx, { actor: principal.label, definition: body });
    c.header('ETag', etag(action.latestVersion));
    return action;
  }),
  route(actions.import, ({ ctx, principal, body }) =>
    importAction(ctx, { actor: principal.label, file: body, approve: principal.permissions.has('admin') }),
  ),
  // before `actions.get`, which would take "approvals" for a slug
  route(actions.approvals, ({ ctx, principal, query }) =>
    listApprovals(ctx, { principal, ...query }),
  ),
  route(actions.get, async ({ ctx, principal, params, c }) => {
    const action = await getAction(ctx, { idOrSlug: params.id, visibility: actionVisibility(principal) });
    c.header('ETag', etag(action.latestVersion));
    return action;
  }),
  route(actions.update, async ({ ctx, principal, params, body, c }) => {
    const ifMatch = parseIfMatch(c.req.header('if-match'), 'an action');
    const { action } = await updateAction(ctx, { actor: principal.label, idOrSlug: params.id, definition: body, ifMatch });
    c.header('ETag', etag(action.latestVersion));
    return action;
  }),
  route(actions.archive, ({ ctx, principal, params }) => archiveAction(ctx, { actor: principal.label, idOrSlug: params.id })),
  route(actions.selfServiceUsage, ({ ctx, principal, params }) =>
    selfServiceUsage(ctx, { principal, idOrSlug: params.id, visibility: actionVisibility(principal) }),
  ),
  route(actions.versions, ({ ctx, principal, params, query }) =>
    listActionVersions(ctx, { idOrSlug: params.id, visibility: actionVisibility(principal), ...query }),
  ),
  route(actions.version, ({ ctx, principal, params }) =>
    getActionVersion(ctx, { idOrSlug: params.id, version: params.version, visibility: actionVisibility(principal) }),
  ),
  route(actions.approve, ({ ctx, principal, params }) =>
    approveVersion(ctx, { actor: principal.label, idOrSlug: params.id, version: params.version, visibility: actionVisibility(principal) }),
  ),
  route(actions.reject, ({ ctx, principal, params, body }) =>
    rejectVersion(ctx, { actor: principal.label, idOrSlug: params.id, version: params.version, visibility: actionVisibility(principal), reason: body.reason }),
  ),
  route(actions.publisherKey, async ({ ctx }) => {
    const key = loadOrCreatePublisherKey(ctx.config.dataDir);
    return { keyId: key.keyId, publicKeyDer: key.publicKeyDer };
  }),
  route(actions.export, async ({ ctx, principal, params, query, c }) => {
    const file = await exportAction(ctx, { idOrSlug: params.id, ...query, visibility: actionVisibility(principal) });
    return c.body(file.text, 200, {
      'content-type': `${file.contentType}; charset=utf-8`,
      'content-disposition': `attachment; filename="${file.filename}"`,
    });
  }),
];
