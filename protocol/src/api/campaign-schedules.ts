/** @module Campaign schedules: standing triggers by device query, once or again after N days. */
import { CampaignSchedule, CampaignScheduleInput, Id, page } from '../index';
import { endpoint } from './endpoint';
import { ByIdOrSlug } from './params';

const tag = 'Campaigns';

export const campaignSchedules = {
  list: endpoint({
    method: 'get',
    path: '/campaigns/:id/schedules',
    summary: 'List the standing triggers of a campaign',
    tag,
    auth: 'campaigns:trigger',
    params: ByIdOrSlug,
    response: page(CampaignSchedule),
  }),
  create: endpoint({
    method: 'post',
    path: '/campaigns/:id/schedules',
    summary: 'Add a standing trigger, owned by you: the devices a query selects in your scope get the campaign once, or again after N days',
    tag,
    auth: 'campaigns:trigger',
    params: ByIdOrSlug,
    body: CampaignScheduleInput,
    response: CampaignSchedule,
    status: 201,
  }),
  remove: endpoint({
    method: 'delete',
    path: '/campaigns/:id/schedules/:scheduleId',
    summary: 'Remove a standing trigger',
    tag,
    auth: 'campaigns:trigger',
    params: ByIdOrSlug.extend({ scheduleId: Id }),
    status: 204,
  }),
};
