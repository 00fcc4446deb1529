/** @module Every API route, in one list: mounted by the app, documented by OpenAPI, walked by the RBAC matrix test. */
import type { AnyRoute } from '../http/route';
import { webhooksRoutes } from './webhooks';

export const allRoutes: readonly AnyRoute[] = [...webhooksRoutes];
