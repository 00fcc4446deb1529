/**
 * @module Handlers of campaigns: versioned definitions with a draft → published → retired lifecycle, previews,
 * triggers with per-target outcomes, requests, responses (paged and exported) and results.
 */
import { api } from '@fixpoint/protocol/api';
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

const { campaigns } = api;

export const campaignsRoutes = [
  route(campaigns.list, ({ ctx, query }) => listCampaigns(ctx, query)),
  route(campaigns.create, async ({ ctx, principal, body, c }) => {
    const campaign = await createCampaign(ctx, { actor: principal.label, definition: body });
    c.header('ETag', etag(campaign.latestVersion));
    return campaign;
  }),
  route(campaigns.previewDefinition, ({ ctx, body }) => previewDefinition(ctx, body)),
  route(campaigns.get, async ({ ctx, params, c }) => {
    const campaign = await getCampaign(ctx, { idOrSlug: params.id });
    c.header('ETag', etag(campaign.latestVersion));
    return campaign;
  }),
  route(campaigns.update, async ({ ctx, principal, params, body, c }) => {
    const ifMatch = parseIfMatch(c.req.header('if-match'), 'a campaign');
    const { campaign } = await updateCampaign(ctx, { actor: principal.label, idOrSlug: params.id, definition: body, ifMatch });
    c.header('ETag', etag(campaign.latestVersion));
    return campaign;
  }),
  route(campaigns.remove, async ({ ctx, principal, params }) => {
    await deleteCampaign(ctx, { actor: principal.label, idOrSlug: params.id });
    return null;
  }),
  route(campaigns.versions, ({ ctx, params, query }) => listCampaignVersions(ctx, { idOrSlug: params.id, ...query })),
  route(campaigns.version, ({ ctx, params }) => getCampaignVersion(ctx, { idOrSlug: params.id, version: params.version })),
  route(campaigns.publish, ({ ctx, principal, params }) => publishCampaign(ctx, { actor: principal.label, idOrSlug: params.id })),
  route(campaigns.republish, ({ ctx, principal, params }) => republishCampaign(ctx, { actor: principal.label, idOrSlug: params.id })),
  route(campaigns.retire, ({ ctx, principal, params }) => retireCampaign(ctx, { actor: principal.label, idOrSlug: params.id })),
  route(campaigns.preview, ({ ctx, params, query }) =>
    previewCampaign(ctx, { idOrSlug: params.id, language: query.lang, version: query.version, user: query.user }),
  ),
  route(campaigns.trigger, ({ ctx, principal, params, body }) => triggerCampaign(ctx, { principal, idOrSlug: params.id, trigger: body })),
  route(campaigns.requests, ({ ctx, principal, params, query }) => listCampaignRequests(ctx, { idOrSlug: params.id, principal, ...query })),
  route(campaigns.responses, ({ ctx, principal, params, query }) => listResponses(ctx, { idOrSlug: params.id, principal, ...query })),
  route(campaigns.exportResponses, async ({ ctx, principal, params, query, c }) => {
    const file = await exportResponses(ctx, { idOrSlug: params.id, principal, format: query.format, state: query.state });
    return c.body(file.text, 200, {
      'content-type': `${file.contentType}; charset=utf-8`,
      'content-disposition': `attachment; filename="${file.filename}"`,
    });
  }),
  route(campaigns.results, ({ ctx, principal, params }) => campaignResults(ctx, { idOrSlug: params.id, principal })),
];
