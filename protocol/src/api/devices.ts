/** @module Devices, as far as the caller's device scope reaches, and the campaign responses of one device. */
import { Device, DeviceCampaignResponse, DeviceList, DeviceListQuery, PageQuery, page } from '../index';
import { endpoint } from './endpoint';
import { ById } from './params';

export const devices = {
  list: endpoint({
    method: 'get',
    path: '/devices',
    summary: 'List devices in your scope (search by name; filter by platform, tag, online)',
    tag: 'Devices',
    auth: 'devices:read',
    query: DeviceListQuery,
    response: DeviceList,
  }),
  get: endpoint({
    method: 'get',
    path: '/devices/:id',
    summary: 'Get a device',
    tag: 'Devices',
    auth: 'devices:read',
    params: ById,
    response: Device,
  }),
  campaignResponses: endpoint({
    method: 'get',
    path: '/devices/:id/campaign-responses',
    summary: 'The campaign responses of one device, across campaigns, newest first',
    tag: 'Campaigns',
    // Responses hold what users answered: the same permission as a campaign's own responses.
    auth: 'campaigns:edit',
    params: ById,
    query: PageQuery,
    response: page(DeviceCampaignResponse),
  }),
  remove: endpoint({
    method: 'delete',
    path: '/devices/:id',
    summary: 'Remove a device and its executions',
    tag: 'Devices',
    auth: 'admin',
    params: ById,
    status: 204,
  }),
};
