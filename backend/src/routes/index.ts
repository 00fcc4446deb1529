/** @module Every API route, in one list: mounted by the app, documented by OpenAPI, walked by the RBAC matrix test. */
import type { AnyRoute } from '../http/route';
import { devicesRoutes } from './devices';
import { enrollmentRoutes } from './enrollment';
import { executionsRoutes } from './executions';

export const allRoutes: readonly AnyRoute[] = [...enrollmentRoutes, ...devicesRoutes, ...executionsRoutes];
