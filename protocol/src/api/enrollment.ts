/** @module Enrollment tokens (admin) and device enrollment (public, proven by the token). */
import { CreatedEnrollmentToken, CreateEnrollmentToken, EnrollmentTokenList, EnrollRequest, EnrollResponse, PageQuery } from '../index';
import { endpoint } from './endpoint';
import { ById } from './params';

const tag = 'Devices';

export const enrollment = {
  createToken: endpoint({
    method: 'post',
    path: '/enrollment-tokens',
    summary: 'Create an enrollment token (the token is shown once)',
    tag,
    auth: 'admin',
    body: CreateEnrollmentToken,
    response: CreatedEnrollmentToken,
    status: 201,
  }),
  listTokens: endpoint({
    method: 'get',
    path: '/enrollment-tokens',
    summary: 'List enrollment tokens',
    tag,
    auth: 'admin',
    query: PageQuery,
    response: EnrollmentTokenList,
  }),
  revokeToken: endpoint({
    method: 'delete',
    path: '/enrollment-tokens/:id',
    summary: 'Revoke an enrollment token',
    tag,
    auth: 'admin',
    params: ById,
    status: 204,
  }),
  enroll: endpoint({
    method: 'post',
    path: '/enroll',
    summary: 'Enroll a device with an enrollment token; returns the key the agent pins',
    tag,
    auth: 'public',
    body: EnrollRequest,
    bodyLimit: 256 * 1024,
    response: EnrollResponse,
    status: 201,
  }),
};
