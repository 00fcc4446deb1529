/** @module Routes of the action library: CRUD with immutable versions, history, import and export. */
import { z } from 'zod';
import {
  Action,
  ActionDefinition,
  ActionFile,
  ActionImportResult,
  ActionVersion,
  ActionVersionSummary,
  ActionWithVersion,
  PageQuery,
  Platform,
  Purpose,
  Slug,
  page,
} from '@fixpoint/protocol';
import { route } from '../http/route';
import { etag, parseIfMatch } from '../http/versions';
import {
  actionVisibility,
  archiveAction,
  createAction,
  exportAction,
  getAction,
  getActionVersion,
  importAction,
  listActions,
  listActionVersions,
  updateAction,
} from '../services/actions';

const tag = 'Actions';
/** Three platform scripts of 600 KB each, plus JSON escaping and the rest of the definition. */
const actionBodyLimit = 2.5 * 1024 * 1024;

// Ids and slugs are both letters, digits and dashes; anything else cannot name an action.
const IdParams = z.object({ id: z.string().regex(/^[A-Za-z0-9-]{1,128}$/, 'use an action id or slug') });
const VersionParams = IdParams.extend({ version: z.coerce.number().int().min(1).max(2_147_483_647) });
const ListQuery = PageQuery.extend({
  q: z.string().max(200).optional(),
  purpose: Purpose.optional(),
  platform: Platform.optional(),
  archived: z.stringbool().default(false),
});
const ExportQuery = z.object({
  format: z.enum(['yaml', 'json']).default('yaml'),
  version: z.coerce.number().int().min(1).max(2_147_483_647).optional(),
});
const CreateBody = ActionDefinition;
/** PUT takes the whole definition; the slug may be left out since it cannot change. */
const UpdateBody = ActionDefinition.extend({ slug: Slug.optional() });
const ImportBody = ActionFile;

const ifMatchHelp = 'The version the edit is based on (as returned in ETag). A newer latest version answers 409 instead of overwriting it.';


export const actionsRoutes = [
  route({
    method: 'get',
    path: '/actions',
    summary: 'List the action library (only runnable actions for principals that run but do not edit actions)',
    tag,
    auth: 'authenticated',
    query: ListQuery,
    response: page(Action),
    handler: ({ ctx, principal, query }) => listActions(ctx, { ...query, visibility: actionVisibility(principal) }),
  }),
  route({
    method: 'post',
    path: '/actions',
    summary: 'Create an action (version 1)',
    tag,
    auth: 'actions:edit',
    body: CreateBody,
    bodyLimit: actionBodyLimit,
    response: ActionWithVersion,
    status: 201,
    handler: async ({ ctx, principal, body, c }) => {
      const action = await createAction(ctx, { actor: principal.label, definition: body });
      c.header('ETag', etag(action.latestVersion));
      return action;
    },
  }),
  route({
    method: 'post',
    path: '/actions/import',
    summary: 'Import an action file (JSON or YAML): creates the action, adds a version, or changes nothing when identical',
    tag,
    auth: 'actions:edit',
    body: ImportBody,
    bodyFormats: ['json', 'yaml'],
    bodyLimit: actionBodyLimit,
    response: ActionImportResult,
    handler: ({ ctx, principal, body }) => importAction(ctx, { actor: principal.label, file: body }),
  }),
  route({
    method: 'get',
    path: '/actions/:id',
    summary: 'Get an action (by id or slug) with its latest version',
    tag,
    auth: 'authenticated',
    params: IdParams,
    response: ActionWithVersion,
    handler: async ({ ctx, principal, params, c }) => {
      const action = await getAction(ctx, { idOrSlug: params.id, visibility: actionVisibility(principal) });
      c.header('ETag', etag(action.latestVersion));
      return action;
    },
  }),
  route({
    method: 'put',
    path: '/actions/:id',
    summary: 'Save a new version of an action (the slug cannot change; identical content adds no version)',
    tag,
    auth: 'actions:edit',
    params: IdParams,
    body: UpdateBody,
    bodyLimit: actionBodyLimit,
    headers: { 'If-Match': ifMatchHelp },
    response: ActionWithVersion,
    handler: async ({ ctx, principal, params, body, c }) => {
      const ifMatch = parseIfMatch(c.req.header('if-match'), 'an action');
      const { action } = await updateAction(ctx, { actor: principal.label, idOrSlug: params.id, definition: body, ifMatch });
      c.header('ETag', etag(action.latestVersion));
      return action;
    },
  }),
  route({
    method: 'delete',
    path: '/actions/:id',
    summary: 'Archive an action: hidden from the library and no longer launchable; its versions stay for execution history',
    tag,
    auth: 'actions:edit',
    params: IdParams,
    response: Action,
    handler: ({ ctx, principal, params }) => archiveAction(ctx, { actor: principal.label, idOrSlug: params.id }),
  }),
  route({
    method: 'get',
    path: '/actions/:id/versions',
    summary: 'List the versions of an action, newest first',
    tag,
    auth: 'authenticated',
    params: IdParams,
    query: PageQuery,
    response: page(ActionVersionSummary),
    handler: ({ ctx, principal, params, query }) =>
      listActionVersions(ctx, { idOrSlug: params.id, visibility: actionVisibility(principal), ...query }),
  }),
  route({
    method: 'get',
    path: '/actions/:id/versions/:version',
    summary: 'Get one immutable version of an action',
    tag,
    auth: 'authenticated',
    params: VersionParams,
    response: ActionVersion,
    handler: ({ ctx, principal, params }) =>
      getActionVersion(ctx, { idOrSlug: params.id, version: params.version, visibility: actionVisibility(principal) }),
  }),
  route({
    method: 'get',
    path: '/actions/:id/export',
    summary: 'Export an action version as a YAML or JSON action file (<slug>.action.yaml), ready for import',
    tag,
    auth: 'authenticated',
    params: IdParams,
    query: ExportQuery,
    response: ActionFile,
    produces: 'application/yaml',
    handler: async ({ ctx, principal, params, query, c }) => {
      const file = await exportAction(ctx, { idOrSlug: params.id, ...query, visibility: actionVisibility(principal) });
      return c.body(file.text, 200, {
        'content-type': `${file.contentType}; charset=utf-8`,
        'content-disposition': `attachment; filename="${file.filename}"`,
      });
    },
  }),
];
