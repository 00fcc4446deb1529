/**
 * @module Campaigns: versioned definitions with a draft → published → retired lifecycle, previews, triggers with
 * per-target outcomes, requests, responses (paged and exported) and results.
 */
import { z } from 'zod';
import {
  Campaign, CampaignDefinition, CampaignFields, CampaignParameterValues, CampaignRequest, CampaignRequestStatus, CampaignResponse,
  CampaignResponseQuery, CampaignResults, CampaignStatus, CampaignVersion, CampaignWithVersion, checkCampaignStructure, Id,
  LanguageCode, PageQuery, page, RenderedCampaign, Slug, TriggerCampaign, TriggerResult,
} from '../index';
import { endpoint } from './endpoint';
import { ByIdOrSlug, ByVersion, VersionNumber } from './params';

const tag = 'Campaigns';

export const CampaignListQuery = PageQuery.extend({ q: z.string().max(200).optional(), status: CampaignStatus.optional() });
/** PUT takes the whole definition; the slug may be left out since it cannot change. */
export const CampaignUpdate = CampaignFields.extend({ slug: Slug.optional() }).superRefine(checkCampaignStructure);
export const CampaignPreviewQuery = z.object({
  lang: LanguageCode.optional(),
  version: VersionNumber.optional(),
  user: z.string().max(200).optional(),
});
export const CampaignPreviewRequest = z.strictObject({
  definition: CampaignDefinition,
  language: LanguageCode.optional(),
  parameters: CampaignParameterValues.optional(),
  user: z.string().max(200).optional(),
});
export const CampaignRequestQuery = PageQuery.extend({ status: CampaignRequestStatus.optional(), deviceId: Id.optional() });
export const CampaignExportQuery = z.object({ format: z.enum(['csv', 'json']).default('csv'), state: CampaignResponseQuery.shape.state });

export const campaigns = {
  list: endpoint({
    method: 'get',
    path: '/campaigns',
    summary: 'List campaigns, sorted by name',
    tag,
    auth: 'authenticated',
    query: CampaignListQuery,
    response: page(Campaign),
  }),
  create: endpoint({
    method: 'post',
    path: '/campaigns',
    summary: 'Create a draft campaign (version 1)',
    tag,
    auth: 'campaigns:edit',
    body: CampaignDefinition,
    response: CampaignWithVersion,
    status: 201,
  }),
  previewDefinition: endpoint({
    method: 'post',
    path: '/campaigns/preview',
    summary: 'Render a definition that is not saved yet, as the tray client shows it',
    tag,
    auth: 'campaigns:edit',
    body: CampaignPreviewRequest,
    response: RenderedCampaign,
  }),
  get: endpoint({
    method: 'get',
    path: '/campaigns/:id',
    summary: 'Get a campaign (by id or slug) with its latest version and warnings about it',
    tag,
    auth: 'authenticated',
    params: ByIdOrSlug,
    response: CampaignWithVersion,
  }),
  update: endpoint({
    method: 'put',
    path: '/campaigns/:id',
    summary: 'Save a new version (a published campaign keeps sending its published version until republished)',
    tag,
    auth: 'campaigns:edit',
    params: ByIdOrSlug,
    body: CampaignUpdate,
    headers: { 'If-Match': 'The version the edit is based on (as returned in ETag). A newer latest version answers 409.' },
    response: CampaignWithVersion,
  }),
  remove: endpoint({
    method: 'delete',
    path: '/campaigns/:id',
    summary: 'Delete a draft campaign (a campaign that was published can only be retired)',
    tag,
    auth: 'campaigns:edit',
    params: ByIdOrSlug,
    status: 204,
  }),
  versions: endpoint({
    method: 'get',
    path: '/campaigns/:id/versions',
    summary: 'List the versions of a campaign, newest first',
    tag,
    auth: 'authenticated',
    params: ByIdOrSlug,
    query: PageQuery,
    response: page(CampaignVersion),
  }),
  version: endpoint({
    method: 'get',
    path: '/campaigns/:id/versions/:version',
    summary: 'Get one immutable version of a campaign',
    tag,
    auth: 'authenticated',
    params: ByVersion,
    response: CampaignVersion,
  }),
  publish: endpoint({
    method: 'post',
    path: '/campaigns/:id/publish',
    summary: 'Publish a draft: its latest version is what triggers send',
    tag,
    auth: 'campaigns:edit',
    params: ByIdOrSlug,
    response: CampaignWithVersion,
  }),
  republish: endpoint({
    method: 'post',
    path: '/campaigns/:id/republish',
    summary: 'Publish the latest version of an edited published campaign, or bring a retired one back',
    tag,
    auth: 'campaigns:edit',
    params: ByIdOrSlug,
    response: CampaignWithVersion,
  }),
  retire: endpoint({
    method: 'post',
    path: '/campaigns/:id/retire',
    summary: 'Retire a published campaign: no new triggers, and pending requests are canceled',
    tag,
    auth: 'campaigns:edit',
    params: ByIdOrSlug,
    response: CampaignWithVersion,
  }),
  preview: endpoint({
    method: 'get',
    path: '/campaigns/:id/preview',
    summary: 'Render a version (the latest by default) in one language with parameter defaults; markdown comes back as sanitized HTML',
    tag,
    auth: 'authenticated',
    params: ByIdOrSlug,
    query: CampaignPreviewQuery,
    response: RenderedCampaign,
  }),
  trigger: endpoint({
    method: 'post',
    path: '/campaigns/:id/trigger',
    summary: 'Send the published version to devices and users; answers per target: queued, already_pending, not_found or out_of_scope',
    tag,
    auth: 'campaigns:trigger',
    params: ByIdOrSlug,
    body: TriggerCampaign,
    response: TriggerResult,
  }),
  requests: endpoint({
    method: 'get',
    path: '/campaigns/:id/requests',
    summary: 'List the requests triggers created (on devices in your scope), newest first',
    tag,
    auth: 'campaigns:trigger',
    params: ByIdOrSlug,
    query: CampaignRequestQuery,
    response: page(CampaignRequest),
  }),
  responses: endpoint({
    method: 'get',
    path: '/campaigns/:id/responses',
    summary: 'List responses (from devices in your scope), newest first',
    tag,
    auth: 'campaigns:edit',
    params: ByIdOrSlug,
    query: CampaignResponseQuery,
    response: page(CampaignResponse),
  }),
  exportResponses: endpoint({
    method: 'get',
    path: '/campaigns/:id/responses/export',
    summary: 'Export responses as CSV (one column per parameter and question, spreadsheet-formula safe) or JSON',
    tag,
    auth: 'campaigns:edit',
    params: ByIdOrSlug,
    query: CampaignExportQuery,
    response: z.array(CampaignResponse),
    produces: 'text/csv',
  }),
  results: endpoint({
    method: 'get',
    path: '/campaigns/:id/results',
    summary: 'Results: requests per status, responses per state, answers per question and choice, NPS score',
    tag,
    auth: 'campaigns:edit',
    params: ByIdOrSlug,
    response: CampaignResults,
  }),
};
