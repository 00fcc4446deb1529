/** @module Routes of campaign schedules: standing triggers by device query, once or again after N days. */
import { z } from 'zod';
import { CampaignSchedule, CampaignScheduleInput, Id, page } from '@fixpoint/protocol';
import { route } from '../http/route';
import { createCampaignSchedule, deleteCampaignSchedule, listCampaignSchedules } from '../services/campaigns';

const tag = 'Campaigns';
const IdParams = z.object({ id: z.string().regex(/^[A-Za-z0-9-]{1,128}$/, 'use a campaign id or slug') });

export const campaignSchedulesRoutes = [
  route({
    method: 'get',
    path: '/campaigns/:id/schedules',
    summary: 'List the standing triggers of a campaign',
    tag,
    auth: 'campaigns:trigger',
    params: IdParams,
    response: page(CampaignSchedule),
    handler: ({ ctx, params }) => listCampaignSchedules(ctx, { idOrSlug: params.id }),
  }),
  route({
    method: 'post',
    path: '/campaigns/:id/schedules',
    summary: 'Add a standing trigger, owned by you: the devices a query selects in your scope get the campaign once, or again after N days',
    tag,
    auth: 'campaigns:trigger',
    params: IdParams,
    body: CampaignScheduleInput,
    response: CampaignSchedule,
    status: 201,
    handler: ({ ctx, principal, params, body }) => createCampaignSchedule(ctx, { principal, idOrSlug: params.id, schedule: body }),
  }),
  route({
    method: 'delete',
    path: '/campaigns/:id/schedules/:scheduleId',
    summary: 'Remove a standing trigger',
    tag,
    auth: 'campaigns:trigger',
    params: IdParams.extend({ scheduleId: Id }),
    status: 204,
    handler: async ({ ctx, principal, params }) => {
      await deleteCampaignSchedule(ctx, { actor: principal.label, idOrSlug: params.id, scheduleId: params.scheduleId });
      return null;
    },
  }),
];
