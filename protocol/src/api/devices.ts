/** @module Devices, as far as the caller's device scope reaches, and the campaign responses of one device. */
import {
  BulkTagRequest, BulkTagResult, Device, DeviceCampaignResponse, DeviceList, DeviceListQuery, DevicePatch, PageQuery, page,
} from '../index';
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
  // Declared before /devices/:id so the static path wins.
  tag: endpoint({
    method: 'post',
    path: '/devices/tags',
    summary: 'Add and remove tags on the devices a query selects (or listed by id), within your scope',
    tag: 'Devices',
    auth: 'devices:edit',
    body: BulkTagRequest,
    bodyLimit: 1024 * 1024,
    response: BulkTagResult,
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
  update: endpoint({
    method: 'patch',
    path: '/devices/:id',
    summary: "Replace a device's tags (its categories)",
    tag: 'Devices',
    auth: 'devices:edit',
    params: ById,
    body: DevicePatch,
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
