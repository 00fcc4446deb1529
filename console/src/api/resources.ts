/** @module Typed calls for each backend resource the console uses. Types come from the protocol schemas. */
import {
  CredentialsEnded,
  Me,
  type AccessToken,
  type Action,
  type ActionDefinition,
  type ActionImportResult,
  type ActionVersion,
  type ActionVersionSummary,
  type ActionWithVersion,
  type ApiClient,
  type ApiClientInput,
  type AuditEntry,
  type AuditVerifyResult,
  type CreatedApiClient,
  type CreatedToken,
  type CreatedWebhook,
  type CreateToken,
  type Role,
  type RoleInput,
  type User,
  type UserInput,
  type UserPatch,
  type Webhook,
  type WebhookDelivery,
  type WebhookInput,
  type WebhookUpdate,
} from '@fixpoint/protocol';
import type { z } from 'zod';
import { api } from './client';

export interface Page<T> {
  items: T[];
  total: number;
  next: number | null;
}

type Out<T extends z.ZodType> = z.infer<T>;
type In<T extends z.ZodType> = z.input<T>;
export type MeT = Out<typeof Me>;
export type CredentialsEndedT = Out<typeof CredentialsEnded>;
export type TokenT = Out<typeof AccessToken>;
export type ApiClientT = Out<typeof ApiClient>;
export type AuditEntryT = Out<typeof AuditEntry>;
export type AuditVerifyT = Out<typeof AuditVerifyResult>;
export type { Action, ActionVersion, ActionVersionSummary, ActionWithVersion, Role, User, Webhook, WebhookDelivery };

const enc = encodeURIComponent;

export const authApi = {
  me: () => api.get<MeT>('/auth/me', { schema: Me }),
  login: (email: string, password: string) => api.post<MeT>('/auth/login', { email, password }, { schema: Me }),
  logout: () => api.post<void>('/auth/logout'),
  /** The caller's own password; ends their other sessions and revokes their access tokens. */
  changePassword: (currentPassword: string, newPassword: string) =>
    api.post<CredentialsEndedT>('/auth/password', { currentPassword, newPassword }, { schema: CredentialsEnded }),
};

export interface ActionListQuery {
  q?: string;
  purpose?: string;
  platform?: string;
  archived?: boolean;
  limit?: number;
  offset?: number;
}

export const actionsApi = {
  list: (query: ActionListQuery = {}) => api.get<Page<Action>>('/actions', { query: { ...query } }),
  get: (slug: string) => api.get<ActionWithVersion>(`/actions/${enc(slug)}`),
  create: (definition: ActionDefinition) => api.post<ActionWithVersion>('/actions', definition),
  /** Saves a new version; `baseVersion` guards against overwriting someone else's newer version (409). */
  update: (slug: string, definition: ActionDefinition, baseVersion: number) =>
    api.put<ActionWithVersion>(`/actions/${enc(slug)}`, definition, { headers: { 'if-match': `"${baseVersion}"` } }),
  archive: (slug: string) => api.delete(`/actions/${enc(slug)}`),
  versions: (slug: string) => api.get<Page<ActionVersionSummary>>(`/actions/${enc(slug)}/versions`, { query: { limit: 500 } }),
  version: (slug: string, version: number) => api.get<ActionVersion>(`/actions/${enc(slug)}/versions/${version}`),
  import: (text: string, contentType: string) =>
    api.post<ActionImportResult>('/actions/import', undefined, { rawBody: { text, contentType } }),
  exportUrl: (slug: string, format: 'yaml' | 'json', version?: number) =>
    `/api/v1/actions/${enc(slug)}/export?format=${format}${version ? `&version=${version}` : ''}`,
};

export const usersApi = {
  list: () => api.get<Page<User>>('/users', { query: { limit: 500 } }),
  create: (input: In<typeof UserInput>) => api.post<User>('/users', input),
  update: (id: string, patch: In<typeof UserPatch>) => api.patch<User>(`/users/${enc(id)}`, patch),
  remove: (id: string) => api.delete(`/users/${enc(id)}`),
};

export const rolesApi = {
  list: () => api.get<Page<Role>>('/roles', { query: { limit: 500 } }),
  get: (name: string) => api.get<Role>(`/roles/${enc(name)}`),
  create: (input: RoleInput) => api.post<Role>('/roles', input),
  update: (name: string, input: RoleInput) => api.put<Role>(`/roles/${enc(name)}`, input),
  remove: (name: string) => api.delete(`/roles/${enc(name)}`),
};

export const apiClientsApi = {
  list: () => api.get<Page<ApiClientT>>('/api-clients', { query: { limit: 500 } }),
  create: (input: In<typeof ApiClientInput>) => api.post<Out<typeof CreatedApiClient>>('/api-clients', input),
  rotate: (id: string) => api.post<Out<typeof CreatedApiClient>>(`/api-clients/${enc(id)}/rotate-secret`),
  remove: (id: string) => api.delete(`/api-clients/${enc(id)}`),
};

export const tokensApi = {
  list: () => api.get<Page<TokenT>>('/tokens'),
  create: (input: In<typeof CreateToken>) => api.post<Out<typeof CreatedToken>>('/tokens', input),
  revoke: (id: string) => api.delete(`/tokens/${enc(id)}`),
};

export const webhooksApi = {
  list: () => api.get<Page<Webhook>>('/webhooks', { query: { limit: 500 } }),
  get: (id: string) => api.get<Webhook>(`/webhooks/${enc(id)}`),
  create: (input: In<typeof WebhookInput>) => api.post<CreatedWebhook>('/webhooks', input),
  update: (id: string, changes: In<typeof WebhookUpdate>) => api.put<Webhook>(`/webhooks/${enc(id)}`, changes),
  remove: (id: string) => api.delete(`/webhooks/${enc(id)}`),
  rotate: (id: string) => api.post<CreatedWebhook>(`/webhooks/${enc(id)}/rotate-secret`),
  test: (id: string) => api.post<WebhookDelivery>(`/webhooks/${enc(id)}/test`),
  deliveries: (id: string, query: { status?: string; offset?: number } = {}) =>
    api.get<Page<WebhookDelivery>>(`/webhooks/${enc(id)}/deliveries`, { query: { ...query, limit: 50 } }),
  redeliver: (id: string, deliveryId: string) => api.post<WebhookDelivery>(`/webhooks/${enc(id)}/deliveries/${enc(deliveryId)}/redeliver`),
};

export const auditApi = {
  list: (query: { action?: string; actor?: string; offset?: number } = {}) =>
    api.get<Page<AuditEntryT>>('/audit', { query: { ...query, limit: 50 } }),
  verify: () => api.get<AuditVerifyT>('/audit/verify'),
};
