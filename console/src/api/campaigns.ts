/** @module Typed calls for campaigns: versions, lifecycle, triggers, requests, responses and results. */
import type {
  Campaign,
  CampaignDefinitionInput,
  CampaignRequest,
  CampaignResponse,
  CampaignResults,
  CampaignStatus,
  CampaignWithVersion,
  ResponseState,
  TriggerCampaign,
  TriggerResult,
} from '@fixpoint/protocol';
import type { z } from 'zod';
import { api } from './client';
import type { Page } from './resources';

const enc = encodeURIComponent;

export type { Campaign, CampaignRequest, CampaignResponse, CampaignResults, CampaignWithVersion, TriggerResult };

export const campaignsApi = {
  list: (query: { q?: string; status?: CampaignStatus } = {}) => api.get<Page<Campaign>>('/campaigns', { query: { ...query, limit: 500 } }),
  get: (id: string) => api.get<CampaignWithVersion>(`/campaigns/${enc(id)}`),
  create: (definition: CampaignDefinitionInput) => api.post<CampaignWithVersion>('/campaigns', definition),
  /** Saves a new version; `baseVersion` makes a save over someone else's newer version a 409. */
  update: (id: string, definition: CampaignDefinitionInput, baseVersion: number) =>
    api.put<CampaignWithVersion>(`/campaigns/${enc(id)}`, definition, { headers: { 'if-match': `"${baseVersion}"` } }),
  remove: (id: string) => api.delete(`/campaigns/${enc(id)}`),
  publish: (id: string) => api.post<CampaignWithVersion>(`/campaigns/${enc(id)}/publish`),
  retire: (id: string) => api.post<CampaignWithVersion>(`/campaigns/${enc(id)}/retire`),
  republish: (id: string) => api.post<CampaignWithVersion>(`/campaigns/${enc(id)}/republish`),
  trigger: (id: string, input: z.input<typeof TriggerCampaign>) => api.post<TriggerResult>(`/campaigns/${enc(id)}/trigger`, input),
  requests: (id: string, query: { deviceId?: string; offset?: number } = {}) =>
    api.get<Page<CampaignRequest>>(`/campaigns/${enc(id)}/requests`, { query: { ...query, limit: 50 } }),
  responses: (id: string, query: { state?: ResponseState; offset?: number } = {}) =>
    api.get<Page<CampaignResponse>>(`/campaigns/${enc(id)}/responses`, { query: { ...query, limit: 50 } }),
  results: (id: string) => api.get<CampaignResults>(`/campaigns/${enc(id)}/results`),
  exportUrl: (id: string, format: 'csv' | 'json') => `/api/v1/campaigns/${enc(id)}/responses/export?format=${format}`,
};
