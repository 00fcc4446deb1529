/**
 * @module The API's endpoint table, shared by the server and its clients: each resource's contracts (method,
 * path, permission, zod schemas), collected in `api`, and every endpoint in mount order in `endpoints`.
 * Import it as `@fixpoint/protocol/api`; it pulls in zod, so code that must stay small (the extension's content
 * script) does not import it.
 */
import { actions } from './actions';
import { agentReleases } from './agent-releases';
import { apiClients } from './api-clients';
import { audit } from './audit';
import { auth } from './auth';
import { campaignSchedules } from './campaign-schedules';
import { campaigns } from './campaigns';
import { detections } from './detections';
import { devices } from './devices';
import type { AnyEndpoint } from './endpoint';
import { enrollment } from './enrollment';
import { executions } from './executions';
import { help } from './help';
import { query } from './query';
import { roles } from './roles';
import { savedQueries } from './saved-queries';
import { schedules } from './schedules';
import { settings } from './settings';
import { tokens } from './tokens';
import { users } from './users';
import { webhooks } from './webhooks';

export * from './endpoint';
export * from './params';
export * from './client';
export { ActionExportQuery, ActionListQuery, ActionUpdate } from './actions';
export { AuditCheckpointQuery, AuditQuery } from './audit';
export { CampaignExportQuery, CampaignListQuery, CampaignPreviewQuery, CampaignPreviewRequest, CampaignRequestQuery, CampaignUpdate } from './campaigns';

/** Every endpoint by resource; the order within a resource is the order the server matches paths in. */
export const api = {
  auth,
  users,
  roles,
  tokens,
  apiClients,
  audit,
  actions,
  enrollment,
  devices,
  executions,
  webhooks,
  campaigns,
  campaignSchedules,
  query,
  savedQueries,
  schedules,
  detections,
  agentReleases,
  settings,
  help,
};

/** Every endpoint, resource by resource: what the server mounts and documents, and the RBAC matrix walks. */
export const endpoints: readonly AnyEndpoint[] = Object.values(api).flatMap((resource) => Object.values(resource) as AnyEndpoint[]);
