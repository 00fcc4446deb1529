/** @module Handlers of campaign schedules: standing triggers by device query, once or again after N days. */
import { api } from '@fixpoint/protocol/api';
import { route } from '../http/route';
import { createCampaignSchedule, deleteCampaignSchedule, listCampaignSchedules } from '../services/campaigns';

const { campaignSchedules } = api;

export const campaignSchedulesRoutes = [
  route(campaignSchedules.list, ({ ctx, params }) => listCampaignSchedules(ctx, { idOrSlug: params.id })),
  route(campaignSchedules.create, ({ ctx, principal, params, body }) =>
    createCampaignSchedule(ctx, { principal, idOrSlug: params.id, schedule: body }),
  ),
  route(campaignSchedules.remove, async ({ ctx, principal, params }) => {
    await deleteCampaignSchedule(ctx, { actor: principal.label, idOrSlug: params.id, scheduleId: params.scheduleId });
    return null;
  }),
];
