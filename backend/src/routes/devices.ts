/** @module Devices, as far as the caller's device scope reaches, and the campaign responses of one device. */
import { z } from 'zod';
import { Device, DeviceCampaignResponse, DeviceList, DeviceListQuery, Id, page, PageQuery } from '@fixpoint/protocol';
import { route } from '../http/route';
import { listDeviceResponses } from '../services/campaigns';
import { deleteDevice, getDevice, listDevices } from '../services/devices';

const IdParams = z.object({ id: Id });

export const devicesRoutes = [
  route({
    method: 'get',
    path: '/devices',
    summary: 'List devices in your scope (search by name; filter by platform, tag, online)',
    tag: 'Devices',
    auth: 'devices:read',
    query: DeviceListQuery,
    response: DeviceList,
    handler: ({ ctx, principal, query }) => listDevices(ctx, { principal, query }),
  }),
  route({
    method: 'get',
    path: '/devices/:id',
    summary: 'Get a device',
    tag: 'Devices',
    auth: 'devices:read',
    params: IdParams,
    response: Device,
    handler: ({ ctx, principal, params }) => getDevice(ctx, { principal, id: params.id }),
  }),
  route({
    method: 'get',
    path: '/devices/:id/campaign-responses',
    summary: 'The campaign responses of one device, across campaigns, newest first',
    tag: 'Campaigns',
    // Responses hold what users answered: the same permission as a campaign's own responses.
    auth: 'campaigns:edit',
    params: IdParams,
    query: PageQuery,
    response: page(DeviceCampaignResponse),
    handler: ({ ctx, principal, params, query }) => listDeviceResponses(ctx, { principal, deviceId: params.id, ...query }),
  }),
  route({
    method: 'delete',
    path: '/devices/:id',
    summary: 'Remove a device and its executions',
    tag: 'Devices',
    auth: 'admin',
    params: IdParams,
    status: 204,
    handler: async ({ ctx, principal, params }) => {
      await deleteDevice(ctx, { principal, id: params.id });
      return null;
    },
  }),
];
