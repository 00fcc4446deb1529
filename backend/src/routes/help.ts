/** @module Handlers of help requests ("Get help"), as far as the caller's device scope reaches. */
import { api } from '@fixpoint/protocol/api';
import { route } from '../http/route';
import { getHelpRequest, helpScreenshot, listHelpRequests } from '../services/help';

const { help } = api;

export const helpRoutes = [
  route(help.list, ({ ctx, principal, query }) => listHelpRequests(ctx, { principal, ...query })),
  route(help.get, ({ ctx, principal, params }) => getHelpRequest(ctx, { principal, id: params.id })),
  route(help.screenshot, async ({ ctx, principal, params, c }) => {
    const shot = await helpScreenshot(ctx, { principal, id: params.id });
    return c.body(new Uint8Array(shot.bytes), 200, { 'content-type': shot.mediaType, 'content-disposition': 'inline' });
  }),
];
