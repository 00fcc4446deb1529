/** @module Calls for agent releases, rollouts in rings and the fleet's agent versions. */
import { api, type CallBody } from '@fixpoint/protocol/api';
import type { AgentRelease, AgentReleaseInput } from '@fixpoint/protocol';
import { client, toApiError } from './client';

export type { AgentRelease };
const { call } = client;

export const agentUpdatesApi = {
  fleet: () => call(api.agentReleases.fleetVersions, {}),
  releases: () => call(api.agentReleases.list, { query: { limit: 100 } }),
  rollouts: () => call(api.agentReleases.listRollouts, { query: { limit: 50 } }),
  reports: () => call(api.agentReleases.reports, { query: { limit: 20 } }),
  createRollout: (body: CallBody<typeof api.agentReleases.createRollout>) => call(api.agentReleases.createRollout, { body }),
  pause: (id: string) => call(api.agentReleases.pauseRollout, { params: { id }, body: { reason: 'paused from the console' } }),
  resume: (id: string) => call(api.agentReleases.resumeRollout, { params: { id } }),
  /** Declares the release, then sends its binary as an octet stream (the typed client sends JSON only). */
  async upload(release: AgentReleaseInput, file: Blob): Promise<AgentRelease> {
    const created = await call(api.agentReleases.create, { body: release });
    const res = await fetch(`/api/v1/agent-releases/${created.id}/binary`, {
      method: 'PUT',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/octet-stream' },
      body: file,
    });
    if (!res.ok) throw await toApiError(res);
    return (await res.json()) as AgentRelease;
  },
};
