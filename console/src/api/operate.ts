/** @module Calls for devices, the query language, executions, launch requests and enrollment tokens, through the typed client. */
import type { EnrollmentToken, Execution, ExecutionRequestSummary, QueryResult } from '@fixpoint/protocol';
import { api, type CallBody, type CallQuery } from '@fixpoint/protocol/api';
import type { z } from 'zod';
import { client } from './client';

export type { EnrollmentToken, Execution, ExecutionRequestSummary };
export type QueryResultT = z.infer<typeof QueryResult>;
type Query<E> = CallQuery<E>;
type Body<E> = CallBody<E>;

const { call } = client;

/** Help requests users sent from their tray, as far as the caller's device scope reaches. */
export const helpApi = {
  list: (offset = 0) => call(api.help.list, { query: { limit: 50, offset } }),
};

export const devicesApi = {
  list: (query: Query<typeof api.devices.list> = {}) => call(api.devices.list, { query }),
  get: (id: string) => call(api.devices.get, { params: { id } }),
  campaignResponses: (id: string, offset = 0) => call(api.devices.campaignResponses, { params: { id }, query: { limit: 20, offset } }),
  /** Replaces the device's tags. */
  setTags: (id: string, tags: string[]) => call(api.devices.update, { params: { id }, body: { tags } }),
  /** Adds and removes tags on the devices a query selects, or on listed devices. */
  tag: (request: Body<typeof api.devices.tag>) => call(api.devices.tag, { body: request }),
};

export const savedQueriesApi = {
  list: () => call(api.savedQueries.list, { query: { limit: 500 } }),
  create: (input: Body<typeof api.savedQueries.create>) => call(api.savedQueries.create, { body: input }),
  update: (id: string, input: Body<typeof api.savedQueries.update>) => call(api.savedQueries.update, { params: { id }, body: input }),
  remove: (id: string) => call(api.savedQueries.remove, { params: { id } }),
};

export const settingsApi = {
  /** How long the server keeps history, among other settings clients show. */
  get: () => call(api.settings.get),
};

export const queryApi = {
  /** Runs a query; a query the language rejects is an ApiError `bad_request` whose details are a QueryError. */
  run: (query: string, limit?: number) => call(api.query.run, { body: limit ? { query, limit } : { query }, validate: true }),
};

/** What the execution list is filtered by (its page is chosen separately). */
export type ExecutionFilter = Omit<Query<typeof api.executions.list>, 'limit' | 'offset'>;

export const executionsApi = {
  list: (query: Query<typeof api.executions.list> = {}) => call(api.executions.list, { query }),
  get: (id: string) => call(api.executions.get, { params: { id } }),
  cancel: (id: string) => call(api.executions.cancel, { params: { id } }),
  launch: (request: Body<typeof api.executions.launch>) => call(api.executions.launch, { body: request }),
  request: (id: string) => call(api.executions.request, { params: { id } }),
  pauseRequest: (id: string) => call(api.executions.pauseRequest, { params: { id } }),
  resumeRequest: (id: string) => call(api.executions.resumeRequest, { params: { id } }),
  cancelRequest: (id: string) => call(api.executions.cancelRequest, { params: { id } }),
};

export type EnrollmentTokenInput = Body<typeof api.enrollment.createToken>;

export const enrollmentApi = {
  list: (offset = 0) => call(api.enrollment.listTokens, { query: { limit: 100, offset } }),
  create: (input: EnrollmentTokenInput) => call(api.enrollment.createToken, { body: input }),
  revoke: (id: string) => call(api.enrollment.revokeToken, { params: { id } }),
};
