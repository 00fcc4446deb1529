/** @module Help requests users sent from their tray ("Get help"), as far as the caller's device scope reaches. */
import { z } from 'zod';
import { HelpRequest, HelpRequestPage, HelpRequestQuery } from '../help';
import { endpoint } from './endpoint';
import { ById } from './params';

const tag = 'Help requests';

export const help = {
  list: endpoint({
    method: 'get',
    path: '/help-requests',
    summary: 'List help requests from devices in your scope, newest first (filter by `device`)',
    tag,
    auth: 'devices:read',
    query: HelpRequestQuery,
    response: HelpRequestPage,
  }),
  get: endpoint({
    method: 'get',
    path: '/help-requests/:id',
    summary: 'Get a help request, with the device facts it arrived with',
    tag,
    auth: 'devices:read',
    params: ById,
    response: HelpRequest,
  }),
  screenshot: endpoint({
    method: 'get',
    path: '/help-requests/:id/screenshot',
    summary: 'The screenshot the user chose to include (PNG or JPEG); 404 when there is none',
    tag,
    auth: 'devices:read',
    params: ById,
    response: z.string(),
    produces: 'image/png',
  }),
};
