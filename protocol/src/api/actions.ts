/** @module The action library: CRUD with immutable versions, history, import and export. */
import { z } from 'zod';
import {
  Action, ActionDefinition, ApprovalQueueItem, ActionFile, ActionImportResult, ActionVersion, ActionVersionSummary, ActionWithVersion, PageQuery,
  Platform, Purpose, RejectVersion, SelfServiceUsage, Slug, page,
} from '../index';
import { endpoint } from './endpoint';
import { ByIdOrSlug, ByVersion, VersionNumber } from './params';

const tag = 'Actions';
/** Three platform scripts of 600 KB each, plus JSON escaping and the rest of the definition. */
const actionBodyLimit = 2.5 * 1024 * 1024;

export const ActionListQuery = PageQuery.extend({
  q: z.string().max(200).optional(),
  purpose: Purpose.optional(),
  platform: Platform.optional(),
  archived: z.stringbool().default(false),
});
export const ActionExportQuery = z.object({
  format: z.enum(['yaml', 'json']).default('yaml'),
  version: VersionNumber.optional(),
});
/** PUT takes the whole definition; the slug may be left out since it cannot change. */
export const ActionUpdate = ActionDefinition.extend({ slug: Slug.optional() });

export const PublisherKeyInfo = z.object({ keyId: z.string(), publicKeyDer: z.string() });

const ifMatchHelp = 'The version the edit is based on (as returned in ETag). A newer latest version answers 409 instead of overwriting it.';

export const actions = {
  list: endpoint({
    method: 'get',
    path: '/actions',
    summary: 'List the action library (only runnable actions for principals that run but do not edit actions)',
    tag,
    auth: 'authenticated',
    query: ActionListQuery,
    response: page(Action),
  }),
  create: endpoint({
    method: 'post',
    path: '/actions',
    summary: 'Create an action (version 1)',
    tag,
    auth: 'actions:edit',
    body: ActionDefinition,
    bodyLimit: actionBodyLimit,
    response: ActionWithVersion,
    status: 201,
  }),
  import: endpoint({
    method: 'post',
    path: '/actions/import',
    summary: 'Import an action file (JSON or YAML): creates the action, adds a version, or changes nothing when identical',
    tag,
    auth: 'actions:edit',
    body: ActionFile,
    bodyFormats: ['json', 'yaml'],
    bodyLimit: actionBodyLimit,
    response: ActionImportResult,
  }),
  approvals: endpoint({
    method: 'get',
    path: '/actions/approvals',
    summary:
      'The approvals queue: versions awaiting review, newest first, each with its changes against the last approved version ' +
      '(reviewers with actions:approve see every one; others see the versions they wrote)',
    tag,
    auth: 'authenticated',
    query: PageQuery,
    response: page(ApprovalQueueItem),
  }),
  get: endpoint({
    method: 'get',
    path: '/actions/:id',
    summary: 'Get an action (by id or slug) with its latest version',
    tag,
    auth: 'authenticated',
    params: ByIdOrSlug,
    response: ActionWithVersion,
  }),
  update: endpoint({
    method: 'put',
    path: '/actions/:id',
    summary: 'Save a new version of an action (the slug cannot change; identical content adds no version)',
    tag,
    auth: 'actions:edit',
    params: ByIdOrSlug,
    body: ActionUpdate,
    bodyLimit: actionBodyLimit,
    headers: { 'If-Match': ifMatchHelp },
    response: ActionWithVersion,
  }),
  archive: endpoint({
    method: 'delete',
    path: '/actions/:id',
    summary: 'Archive an action: hidden from the library and no longer launchable; its versions stay for execution history',
    tag,
    auth: 'actions:edit',
    params: ByIdOrSlug,
    response: Action,
  }),
  selfServiceUsage: endpoint({
    method: 'get',
    path: '/actions/:id/self-service',
    summary: 'How users ran this action themselves from the tray in the last 30 days, on devices the caller may see',
    tag,
    auth: 'devices:read',
    params: ByIdOrSlug,
    response: SelfServiceUsage,
  }),
  versions: endpoint({
    method: 'get',
    path: '/actions/:id/versions',
    summary: 'List the versions of an action, newest first',
    tag,
    auth: 'authenticated',
    params: ByIdOrSlug,
    query: PageQuery,
    response: page(ActionVersionSummary),
  }),
  version: endpoint({
    method: 'get',
    path: '/actions/:id/versions/:version',
    summary: 'Get one immutable version of an action',
    tag,
    auth: 'authenticated',
    params: ByVersion,
    response: ActionVersion,
  }),
  approve: endpoint({
    method: 'post',
    path: '/actions/:id/versions/:version/approve',
    summary: 'Approve a version written by someone else (four-eyes): it may then run everywhere, signed by the publisher key',
    tag,
    auth: 'actions:approve',
    params: ByVersion,
    response: ActionVersion,
  }),
  reject: endpoint({
    method: 'post',
    path: '/actions/:id/versions/:version/reject',
    summary: 'Reject a version written by someone else, with the reason',
    tag,
    auth: 'actions:approve',
    params: ByVersion,
    body: RejectVersion,
    response: ActionVersion,
  }),
  publisherKey: endpoint({
    method: 'get',
    path: '/keys/publisher',
    summary: "The organization's publisher public key (base64 SPKI DER), for agents' publisherKeys",
    tag,
    auth: 'authenticated',
    response: PublisherKeyInfo,
  }),
  export: endpoint({
    method: 'get',
    path: '/actions/:id/export',
    summary: 'Export an action version as a YAML or JSON action file (<slug>.action.yaml), ready for import',
    tag,
    auth: 'authenticated',
    params: ByIdOrSlug,
    query: ActionExportQuery,
    response: ActionFile,
    produces: 'application/yaml',
  }),
};
