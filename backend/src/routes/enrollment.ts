/** @module Enrollment tokens (admin) and device enrollment (public, proven by the token). */
import { z } from 'zod';
import {
  CreatedEnrollmentToken, CreateEnrollmentToken, EnrollmentTokenList, EnrollRequest, EnrollResponse, Id, PageQuery,
} from '@fixpoint/protocol';
import { route } from '../http/route';
import { createEnrollmentToken, enrollDevice, listEnrollmentTokens, revokeEnrollmentToken } from '../services/devices';

const IdParams = z.object({ id: Id });

export const enrollmentRoutes = [
  route({
    method: 'post',
    path: '/enrollment-tokens',
    summary: 'Create an enrollment token (the token is shown once)',
    tag: 'Devices',
    auth: 'admin',
    body: CreateEnrollmentToken,
    response: CreatedEnrollmentToken,
    status: 201,
    handler: ({ ctx, principal, body }) => createEnrollmentToken(ctx, { principal, token: body }),
  }),
  route({
    method: 'get',
    path: '/enrollment-tokens',
    summary: 'List enrollment tokens',
    tag: 'Devices',
    auth: 'admin',
    query: PageQuery,
    response: EnrollmentTokenList,
    handler: ({ ctx, query }) => listEnrollmentTokens(ctx, query),
  }),
  route({
    method: 'delete',
    path: '/enrollment-tokens/:id',
    summary: 'Revoke an enrollment token',
    tag: 'Devices',
    auth: 'admin',
    params: IdParams,
    status: 204,
    handler: async ({ ctx, principal, params }) => {
      await revokeEnrollmentToken(ctx, { principal, id: params.id });
      return null;
    },
  }),
  route({
    method: 'post',
    path: '/enroll',
    summary: 'Enroll a device with an enrollment token; returns the key the agent pins',
    tag: 'Devices',
    auth: 'public',
    body: EnrollRequest,
    bodyLimit: 256 * 1024,
    response: EnrollResponse,
    status: 201,
    handler: ({ ctx, body }) => enrollDevice(ctx, body),
  }),
];
