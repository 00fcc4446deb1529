/**
 * @module Routes of campaigns: versioned definitions with a draft → published → retired lifecycle, previews,
 * triggers with per-target outcomes, requests, responses (paged and exported) and results.
 */
import { z } from 'zod';
import {
  Campaign,
  CampaignDefinition,
  CampaignFields,
  CampaignParameterValues,
  CampaignRequest,
  CampaignRequestStatus,
  CampaignResponse,
  CampaignResponseQuery,
  CampaignResults,
  CampaignStatus,
  CampaignVersion,
  CampaignWithVersion,
  checkCampaignStructure,
  LanguageCode,
  PageQuery,
  RenderedCampaign,
  Slug,
  TriggerCampaign,
  TriggerResult,
  Id,
  page,
} from '@fixpoint/protocol';
import { route } from '../http/route';
import { etag, parseIfMatch } from '../http/versions';
import {
  campaignResults,
  createCampaign,
  deleteCampaign,
  exportResponses,
  getCampaign,
  getCampaignVersion,
  listCampaignRequests,
  listCampaigns,
  listCampaignVersions,
  listResponses,
  previewCampaign,
  previewDefinition,
  publishCampaign,
  republishCampaign,
  retireCampaign,
  triggerCampaign,
  updateCampaign,
} from '../services/campaigns';

const tag = 'Campaigns';

// Ids and slugs are both letters, digits and dashes; anything else cannot name a campaign.
const IdParams = z.object({ id: z.string().regex(/^[A-Za-z0-9-]{1,128}$/, 'use a campaign id or slug') });
const VersionNumber = z.coerce.number().int().min(1).max(2_147_483_647);
const VersionParams = IdParams.extend({ version: VersionNumber });
const ListQuery = PageQuery.extend({ q: z.string().max(200).optional(), status: CampaignStatus.optional() });
const UpdateBody = CampaignFields.extend({ slug: Slug.optional() }).superRefine(checkCampaignStructure);
const PreviewQuery = z.object({ lang: LanguageCode.optional(), version: VersionNumber.optional(), user: z.string().max(200).optional() });
const PreviewBody = z.strictObject({
  definition: CampaignDefinition,
  language: LanguageCode.optional(),
  parameters: CampaignParameterValues.optional(),
  user: z.string().max(200).optional(),
});
const RequestQuery = PageQuery.extend({ status: CampaignRequestStatus.optional(), deviceId: Id.optional() });
const ExportQuery = z.object({ format: z.enum(['csv', 'json']).default('csv'), state: CampaignResponseQuery.shape.state });


export const campaignsRoutes = [
  route({
    method: 'get',
    path: '/campaigns',
    summary: 'List campaigns, sorted by name',
    tag,
    auth: 'authenticated',
    query: ListQuery,
    response: page(Campaign),
    handler: ({ ctx, query }) => listCampaigns(ctx, query),
  }),
  route({
    method: 'post',
    path: '/campaigns',
    summary: 'Create a draft campaign (version 1)',
    tag,
    auth: 'campaigns:edit',
    body: CampaignDefinition,
    response: CampaignWithVersion,
    status: 201,
    handler: async ({ ctx, principal, body, c }) => {
      const campaign = await createCampaign(ctx, { actor: principal.label, definition: body });
      c.header('ETag', etag(campaign.latestVersion));
      return campaign;
    },
  }),
  route({
    method: 'post',
    path: '/campaigns/preview',
    summary: 'Render a definition that is not saved yet, as the tray client shows it',
    tag,
    auth: 'campaigns:edit',
    body: PreviewBody,
    response: RenderedCampaign,
    handler: ({ ctx, body }) => previewDefinition(ctx, body),
  }),
  route({
    method: 'get',
    path: '/campaigns/:id',
    summary: 'Get a campaign (by id or slug) with its latest version and warnings about it',
    tag,
    auth: 'authenticated',
    params: IdParams,
    response: CampaignWithVersion,
    handler: async ({ ctx, params, c }) => {
      const campaign = await getCampaign(ctx, { idOrSlug: params.id });
      c.header('ETag', etag(campaign.latestVersion));
      return campaign;
    },
  }),
  route({
    method: 'put',
    path: '/campaigns/:id',
    summary: 'Save a new version (a published campaign keeps sending its published version until republished)',
    tag,
    auth: 'campaigns:edit',
    params: IdParams,
    body: UpdateBody,
    headers: { 'If-Match': 'The version the edit is based on (as returned in ETag). A newer latest version answers 409.' },
    response: CampaignWithVersion,
    handler: async ({ ctx, principal, params, body, c }) => {
      const ifMatch = parseIfMatch(c.req.header('if-match'), 'a campaign');
      const { campaign } = await updateCampaign(ctx, { actor: principal.label, idOrSlug: params.id, definition: body, ifMatch });
      c.header('ETag', etag(campaign.latestVersion));
      return campaign;
    },
  }),
  route({
    method: 'delete',
    path: '/campaigns/:id',
    summary: 'Delete a draft campaign (a campaign that was published can only be retired)',
    tag,
    auth: 'campaigns:edit',
    params: IdParams,
    status: 204,
    handler: async ({ ctx, principal, params }) => {
      await deleteCampaign(ctx, { actor: principal.label, idOrSlug: params.id });
      return null;
    },
  }),
  route({
    method: 'get',
    path: '/campaigns/:id/versions',
    summary: 'List the versions of a campaign, newest first',
    tag,
    auth: 'authenticated',
    params: IdParams,
    query: PageQuery,
    response: page(CampaignVersion),
    handler: ({ ctx, params, query }) => listCampaignVersions(ctx, { idOrSlug: params.id, ...query }),
  }),
  route({
    method: 'get',
    path: '/campaigns/:id/versions/:version',
    summary: 'Get one immutable version of a campaign',
    tag,
    auth: 'authenticated',
    params: VersionParams,
    response: CampaignVersion,
    handler: ({ ctx, params }) => getCampaignVersion(ctx, { idOrSlug: params.id, version: params.version }),
  }),
  route({
    method: 'post',
    path: '/campaigns/:id/publish',
    summary: 'Publish a draft: its latest version is what triggers send',
    tag,
    auth: 'campaigns:edit',
    params: IdParams,
    response: CampaignWithVersion,
    handler: ({ ctx, principal, params }) => publishCampaign(ctx, { actor: principal.label, idOrSlug: params.id }),
  }),
  route({
    method: 'post',
    path: '/campaigns/:id/republish',
    summary: 'Publish the latest version of an edited published campaign, or bring a retired one back',
    tag,
    auth: 'campaigns:edit',
    params: IdParams,
    response: CampaignWithVersion,
    handler: ({ ctx, principal, params }) => republishCampaign(ctx, { actor: principal.label, idOrSlug: params.id }),
  }),
  route({
    method: 'post',
    path: '/campaigns/:id/retire',
    summary: 'Retire a published campaign: no new triggers, and pending requests are canceled',
    tag,
    auth: 'campaigns:edit',
    params: IdParams,
    response: CampaignWithVersion,
    handler: ({ ctx, principal, params }) => retireCampaign(ctx, { actor: principal.label, idOrSlug: params.id }),
  }),
  route({
    method: 'get',
    path: '/campaigns/:id/preview',
    summary: 'Render a version (the latest by default) in one language with parameter defaults; markdown comes back as sanitized HTML',
    tag,
    auth: 'authenticated',
    params: IdParams,
    query: PreviewQuery,
    response: RenderedCampaign,
    handler: ({ ctx, params, query }) => previewCampaign(ctx, { idOrSlug: params.id, language: query.lang, version: query.version, user: query.user }),
  }),
  route({
    method: 'post',
    path: '/campaigns/:id/trigger',
    summary: 'Send the published version to devices and users; answers per target: queued, already_pending, not_found or out_of_scope',
    tag,
    auth: 'campaigns:trigger',
    params: IdParams,
    body: TriggerCampaign,
    response: TriggerResult,
    handler: ({ ctx, principal, params, body }) => triggerCampaign(ctx, { principal, idOrSlug: params.id, trigger: body }),
  }),
  route({
    method: 'get',
    path: '/campaigns/:id/requests',
    summary: 'List the requests triggers created (on devices in your scope), newest first',
    tag,
    auth: 'campaigns:trigger',
    params: IdParams,
    query: RequestQuery,
    response: page(CampaignRequest),
    handler: ({ ctx, principal, params, query }) => listCampaignRequests(ctx, { idOrSlug: params.id, principal, ...query }),
  }),
  route({
    method: 'get',
    path: '/campaigns/:id/responses',
    summary: 'List responses (from devices in your scope), newest first',
    tag,
    auth: 'campaigns:edit',
    params: IdParams,
    query: CampaignResponseQuery,
    response: page(CampaignResponse),
    handler: ({ ctx, principal, params, query }) => listResponses(ctx, { idOrSlug: params.id, principal, ...query }),
  }),
  route({
    method: 'get',
    path: '/campaigns/:id/responses/export',
    summary: 'Export responses as CSV (one column per parameter and question, spreadsheet-formula safe) or JSON',
    tag,
    auth: 'campaigns:edit',
    params: IdParams,
    query: ExportQuery,
    response: z.array(CampaignResponse),
    produces: 'text/csv',
    handler: async ({ ctx, principal, params, query, c }) => {
      const file = await exportResponses(ctx, { idOrSlug: params.id, principal, format: query.format, state: query.state });
      return c.body(file.text, 200, {
        'content-type': `${file.contentType}; charset=utf-8`,
        'content-disposition': `attachment; filename="${file.filename}"`,
      });
    },
  }),
  route({
    method: 'get',
    path: '/campaigns/:id/results',
    summary: 'Results: requests per status, responses per state, answers per question and choice, NPS score',
    tag,
    auth: 'campaigns:edit',
    params: IdParams,
    response: CampaignResults,
    handler: ({ ctx, principal, params }) => campaignResults(ctx, { idOrSlug: params.id, principal }),
  }),
];
