/** @module Handlers of enrollment tokens (admin) and device enrollment (public, proven by the token). */
import { api } from '@fixpoint/protocol/api';
import { route } from '../http/route';
import { createEnrollmentToken, enrollDevice, listEnrollmentTokens, revokeEnrollmentToken } from '../services/devices';

const { enrollment } = api;

export const enrollmentRoutes = [
  route(enrollment.createToken, ({ ctx, principal, body }) => createEnrollmentToken(ctx, { principal, token: body })),
  route(enrollment.listTokens, ({ ctx, query }) => listEnrollmentTokens(ctx, query)),
  route(enrollment.revokeToken, async ({ ctx, principal, params }) => {
    await revokeEnrollmentToken(ctx, { principal, id: params.id });
    return null;
  }),
  route(enrollment.enroll, ({ ctx, body }) => enrollDevice(ctx, body)),
];
