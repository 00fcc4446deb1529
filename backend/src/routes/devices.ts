/** @module Handlers of devices, as far as the caller's device scope reaches, and the campaign responses of one device. */
import { api } from '@fixpoint/protocol/api';
import { route } from '../http/route';
import { listDeviceResponses } from '../services/campaigns';
import { deleteDevice, getDevice, listDevices, tagDevices, updateDevice } from '../services/devices';

const { devices } = api;

export const devicesRoutes = [
  route(devices.list, ({ ctx, principal, query }) => listDevices(ctx, { principal, query })),
  route(devices.tag, ({ ctx, principal, body }) => tagDevices(ctx, { principal, request: body })),
  route(devices.get, ({ ctx, principal, params }) => getDevice(ctx, { principal, id: params.id })),
  route(devices.update, ({ ctx, principal, params, body }) => updateDevice(ctx, { principal, id: params.id, patch: body })),
  route(devices.campaignResponses, ({ ctx, principal, params, query }) => listDeviceResponses(ctx, { principal, deviceId: params.id, ...query })),
  route(devices.remove, async ({ ctx, principal, params }) => {
    await deleteDevice(ctx, { principal, id: params.id });
    return null;
  }),
];
