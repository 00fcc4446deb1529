/** @module Devices, as far as the caller's device scope reaches. */
import { z } from 'zod';
import { Device, DeviceList, DeviceListQuery, Id } from '@fixpoint/protocol';
import { route } from '../http/route';
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
