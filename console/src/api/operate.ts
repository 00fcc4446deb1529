/** @module Typed calls for devices, the query language, executions, launch requests and enrollment tokens. */
import {
  QueryResult,
  type CreatedEnrollmentToken,
  type CreateEnrollmentToken,
  type Device,
  type DeviceCampaignResponse,
  type EnrollmentToken,
  type Execution,
  type ExecutionRequestSummary,
  type ExecutionStatus,
  type ExecutionTrigger,
  type LaunchRequest,
  type LaunchResponse,
} from '@fixpoint/protocol';
import type { z } from 'zod';
import { api } from './client';
import type { Page } from './resources';

const enc = encodeURIComponent;

export type { Device, DeviceCampaignResponse, EnrollmentToken, Execution, ExecutionRequestSummary, LaunchResponse };
export type QueryResultT = z.infer<typeof QueryResult>;

export interface DeviceListQuery {
  search?: string;
  platform?: string;
  tag?: string;
  online?: 'true' | 'false';
  limit?: number;
  offset?: number;
}

export const devicesApi = {
  list: (query: DeviceListQuery = {}) => api.get<Page<Device>>('/devices', { query: { ...query } }),
  get: (id: string) => api.get<Device>(`/devices/${enc(id)}`),
  campaignResponses: (id: string, offset = 0) =>
    api.get<Page<DeviceCampaignResponse>>(`/devices/${enc(id)}/campaign-responses`, { query: { limit: 20, offset } }),
};

export const queryApi = {
  /** Runs a query; a query the language rejects is an ApiError `bad_request` whose details are a QueryError. */
  run: (query: string, limit?: number) => api.post<QueryResultT>('/query', limit ? { query, limit } : { query }, { schema: QueryResult }),
};

export interface ExecutionFilter {
  status?: ExecutionStatus | undefined;
  action?: string | undefined;
  deviceId?: string | undefined;
  trigger?: ExecutionTrigger | undefined;
  requestId?: string | undefined;
}

export const executionsApi = {
  list: (filter: ExecutionFilter & { limit?: number; offset?: number } = {}) => api.get<Page<Execution>>('/executions', { query: { ...filter } }),
  get: (id: string) => api.get<Execution>(`/executions/${enc(id)}`),
  cancel: (id: string) => api.post<Execution>(`/executions/${enc(id)}/cancel`),
  launch: (request: z.input<typeof LaunchRequest>) => api.post<LaunchResponse>('/executions', request),
  request: (id: string) => api.get<ExecutionRequestSummary>(`/requests/${enc(id)}`),
};

export type EnrollmentTokenInput = z.input<typeof CreateEnrollmentToken>;

export const enrollmentApi = {
  list: (offset = 0) => api.get<Page<EnrollmentToken>>('/enrollment-tokens', { query: { limit: 100, offset } }),
  create: (input: EnrollmentTokenInput) => api.post<CreatedEnrollmentToken>('/enrollment-tokens', input),
  revoke: (id: string) => api.delete(`/enrollment-tokens/${enc(id)}`),
};
