/** @module Every API route, in one list: mounted by the app, documented by OpenAPI, walked by the RBAC matrix test. */
import type { AnyRoute } from '../http/route';
import { actionsRoutes } from './actions';
import { agentReleasesRoutes } from './agent-releases';
import { apiClientsRoutes } from './api-clients';
import { auditRoutes } from './audit';
import { authRoutes } from './auth';
import { detectionsRoutes } from './detections';
import { devicesRoutes } from './devices';
import { enrollmentRoutes } from './enrollment';
import { executionsRoutes } from './executions';
import { helpRoutes } from './help';
import { campaignSchedulesRoutes } from './campaign-schedules';
import { campaignsRoutes } from './campaigns';
import { queryRoutes } from './query';
import { rolesRoutes } from './roles';
import { savedQueriesRoutes } from './saved-queries';
import { schedulesRoutes } from './schedules';
import { settingsRoutes } from './settings';
import { tokensRoutes } from './tokens';
import { usersRoutes } from './users';
import { webhooksRoutes } from './webhooks';

export const allRoutes: readonly AnyRoute[] = [
  ...authRoutes,
  ...usersRoutes,
  ...rolesRoutes,
  ...tokensRoutes,
  ...apiClientsRoutes,
  ...auditRoutes,
  ...actionsRoutes,
  ...enrollmentRoutes,
  ...devicesRoutes,
  ...executionsRoutes,
  ...webhooksRoutes,
  ...campaignsRoutes,
  ...campaignSchedulesRoutes,
  ...queryRoutes,
  ...savedQueriesRoutes,
  ...schedulesRoutes,
  ...detectionsRoutes,
  ...agentReleasesRoutes,
  ...settingsRoutes,
  ...helpRoutes,
];
