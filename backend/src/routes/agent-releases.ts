/** @module Handlers of agent releases (upload, download), rollouts in rings (pause, resume) and device update reports. */
import { api } from '@fixpoint/protocol/api';
import { AppError } from '../errors';
import { route } from '../http/route';
import {
  createRelease, createRollout, fleetVersions, getRollout, listReleases, listRolloutDevices, listRollouts, listUpdateReports, pauseRollout,
  releaseBinary, resumeRollout, uploadReleaseBinary,
} from '../services/releases';

const { agentReleases: r } = api;

export const agentReleasesRoutes = [
  route(r.fleetVersions, ({ ctx, principal }) => fleetVersions(ctx, principal)),
  route(r.list, ({ ctx, query }) => listReleases(ctx, query)),
  route(r.create, ({ ctx, principal, body }) => createRelease(ctx, { actor: principal.label, release: body })),
  route(r.upload, ({ ctx, principal, params, c }) => {
    if ((c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase() !== 'application/octet-stream')
      throw new AppError(415, 'unsupported_media_type', 'send the binary as application/octet-stream');
    return uploadReleaseBinary(ctx, { actor: principal.label, id: params.id, body: c.req.raw.body });
  }),
  route(r.download, ({ ctx, params }) => releaseBinary(ctx, params.id)),
  route(r.reports, ({ ctx, principal, query }) => listUpdateReports(ctx, principal, query)),
  route(r.listRollouts, ({ ctx, query }) => listRollouts(ctx, query)),
  route(r.createRollout, ({ ctx, principal, body }) => createRollout(ctx, { principal, actor: principal.label, rollout: body })),
  route(r.getRollout, ({ ctx, params }) => getRollout(ctx, params.id)),
  route(r.rolloutDevices, ({ ctx, params, query }) => listRolloutDevices(ctx, params.id, query)),
  route(r.pauseRollout, ({ ctx, principal, params, body }) => pauseRollout(ctx, { actor: principal.label, id: params.id, reason: body.reason })),
  route(r.resumeRollout, ({ ctx, principal, params }) => resumeRollout(ctx, { actor: principal.label, id: params.id })),
];
