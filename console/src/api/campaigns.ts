/** @module Calls for campaigns: versions, lifecycle, triggers, requests, responses and results, through the typed client. */
import type { CampaignDefinitionInput, CampaignWithVersion, TriggerResult } from '@fixpoint/protocol';
import { api, type CallBody, type CallQuery } from '@fixpoint/protocol/api';
import { client } from './client';

export type { CampaignWithVersion, TriggerResult };
type Query<E> = CallQuery<E>;
type Body<E> = CallBody<E>;

const { call, url } = client;
const { campaigns, campaignSchedules } = api;

export const campaignsApi = {
  list: (query: Pick<Query<typeof campaigns.list>, 'q' | 'status'> = {}) => call(campaigns.list, { query: { ...query, limit: 500 } }),
  get: (id: string) => call(campaigns.get, { params: { id } }),
  create: (definition: CampaignDefinitionInput) => call(campaigns.create, { body: definition }),
  /** Saves a new version; `baseVersion` makes a save over someone else's newer version a 409. */
  update: (id: string, definition: CampaignDefinitionInput, baseVersion: number) =>
    call(campaigns.update, { params: { id }, body: definition, headers: { 'if-match': `"${baseVersion}"` } }),
  remove: (id: string) => call(campaigns.remove, { params: { id } }),
  publish: (id: string) => call(campaigns.publish, { params: { id } }),
  retire: (id: string) => call(campaigns.retire, { params: { id } }),
  republish: (id: string) => call(campaigns.republish, { params: { id } }),
  trigger: (id: string, input: Body<typeof campaigns.trigger>) => call(campaigns.trigger, { params: { id }, body: input }),
  requests: (id: string, query: Pick<Query<typeof campaigns.requests>, 'deviceId' | 'offset'> = {}) =>
    call(campaigns.requests, { params: { id }, query: { ...query, limit: 50 } }),
  responses: (id: string, query: Pick<Query<typeof campaigns.responses>, 'state' | 'offset'> = {}) =>
    call(campaigns.responses, { params: { id }, query: { ...query, limit: 50 } }),
  results: (id: string) => call(campaigns.results, { params: { id } }),
  schedules: (id: string) => call(campaignSchedules.list, { params: { id } }),
  addSchedule: (id: string, input: Body<typeof campaignSchedules.create>) => call(campaignSchedules.create, { params: { id }, body: input }),
  removeSchedule: (id: string, scheduleId: string) => call(campaignSchedules.remove, { params: { id, scheduleId } }),
  exportUrl: (id: string, format: 'csv' | 'json') => url(campaigns.exportResponses, { params: { id }, query: { format } }),
};
