/**
 * @module Agent releases (upload, binary download by agents) and their rollout in rings. Uploading and rolling out
 * need `agents:update`; reading needs `devices:read`. The binary's download is public: it is signed by the update
 * key, which agents check, and carries nothing secret.
 */
import { z } from 'zod';
import {
  AgentRelease, AgentReleaseInput, FleetVersions, PageQuery, AgentRollout, AgentRolloutDevice, AgentRolloutInput, UpdateReport, maxReleaseBytes, page,
} from '../index';
import { endpoint } from './endpoint';
import { ById } from './params';

const tag = 'Agent releases';
const PauseBody = z.strictObject({ reason: z.string().min(1).max(500).default('paused by an admin') });

export const agentReleases = {
  fleetVersions: endpoint({
    method: 'get',
    path: '/agent-releases/fleet',
    summary: 'Agent versions across the fleet (devices in your scope)',
    tag,
    auth: 'devices:read',
    response: FleetVersions,
  }),
  list: endpoint({ method: 'get', path: '/agent-releases', summary: 'List agent releases, newest first', tag, auth: 'devices:read', query: PageQuery, response: page(AgentRelease) }),
  create: endpoint({
    method: 'post',
    path: '/agent-releases',
    summary: 'Declare a release (version, platform, size, SHA-256, update-key signature); upload its binary next',
    tag,
    auth: 'agents:update',
    body: AgentReleaseInput,
    response: AgentRelease,
    status: 201,
  }),
  upload: endpoint({
    method: 'put',
    path: '/agent-releases/:id/binary',
    summary: 'Upload the release’s binary (application/octet-stream); it must match the declared size and SHA-256',
    tag,
    auth: 'agents:update',
    params: ById,
    bodyLimit: maxReleaseBytes,
    response: AgentRelease,
  }),
  download: endpoint({
    method: 'get',
    path: '/agent-releases/:id/binary',
    summary: 'Download an uploaded release’s binary (what agents fetch; they check the signature)',
    tag,
    auth: 'public',
    params: ById,
    produces: 'application/octet-stream',
  }),
  reports: endpoint({
    method: 'get',
    path: '/agent-releases/reports',
    summary: 'What devices said about updates: refused (with the reason), rolled back, updated; newest first',
    tag,
    auth: 'devices:read',
    query: PageQuery,
    response: page(UpdateReport),
  }),
  listRollouts: endpoint({ method: 'get', path: '/agent-rollouts', summary: 'List rollouts, newest first', tag, auth: 'devices:read', query: PageQuery, response: page(AgentRollout) }),
  createRollout: endpoint({
    method: 'post',
    path: '/agent-rollouts',
    summary: 'Roll a version out in rings; a lower version than a device runs needs a release marked rollback',
    tag,
    auth: 'agents:update',
    body: AgentRolloutInput,
    response: AgentRollout,
    status: 201,
  }),
  getRollout: endpoint({ method: 'get', path: '/agent-rollouts/:id', summary: 'Get a rollout with its progress', tag, auth: 'devices:read', params: ById, response: AgentRollout }),
  rolloutDevices: endpoint({
    method: 'get',
    path: '/agent-rollouts/:id/devices',
    summary: 'The devices of a rollout’s rings so far, with where each stands',
    tag,
    auth: 'devices:read',
    params: ById,
    query: PageQuery,
    response: page(AgentRolloutDevice),
  }),
  pauseRollout: endpoint({
    method: 'post',
    path: '/agent-rollouts/:id/pause',
    summary: 'Pause a running rollout',
    tag,
    auth: 'agents:update',
    params: ById,
    body: PauseBody,
    response: AgentRollout,
  }),
  resumeRollout: endpoint({
    method: 'post',
    path: '/agent-rollouts/:id/resume',
    summary: 'Resume a paused rollout: its current ring gets a new window and failed devices are sent the update again',
    tag,
    auth: 'agents:update',
    params: ById,
    response: AgentRollout,
  }),
};
