/** @module Calls for each backend resource the console uses, through the typed client. Types come from the contracts. */
import type { ActionDefinition, ActionVersion, ActionWithVersion, AuditVerifyResult, CredentialsEnded, Me, Role, RoleInput, User, Webhook } from '@fixpoint/protocol';
import { api, type CallBody, type CallQuery } from '@fixpoint/protocol/api';
import type { z } from 'zod';
import { client } from './client';

type Out<T extends z.ZodType> = z.infer<T>;
export type MeT = Out<typeof Me>;
export type CredentialsEndedT = Out<typeof CredentialsEnded>;
export type AuditVerifyT = Out<typeof AuditVerifyResult>;
export type { ActionVersion, ActionWithVersion, Role, User, Webhook };
type Query<E> = CallQuery<E>;
type Body<E> = CallBody<E>;

const { call, url } = client;

export const authApi = {
  me: () => call(api.auth.me, { validate: true }),
  login: (email: string, password: string) => call(api.auth.login, { body: { email, password }, validate: true }),
  logout: () => call(api.auth.logout),
  /** The caller's own password; ends their other sessions and revokes their access tokens. */
  changePassword: (currentPassword: string, newPassword: string) =>
    call(api.auth.changePassword, { body: { currentPassword, newPassword }, validate: true }),
};

const ifMatch = (version: number) => ({ 'if-match': `"${version}"` });

export const actionsApi = {
  list: (query: Query<typeof api.actions.list> = {}) => call(api.actions.list, { query }),
  get: (slug: string) => call(api.actions.get, { params: { id: slug } }),
  create: (definition: ActionDefinition) => call(api.actions.create, { body: definition }),
  /** Saves a new version; `baseVersion` guards against overwriting someone else's newer version (409). */
  update: (slug: string, definition: ActionDefinition, baseVersion: number) =>
    call(api.actions.update, { params: { id: slug }, body: definition, headers: ifMatch(baseVersion) }),
  archive: (slug: string) => call(api.actions.archive, { params: { id: slug } }),
  versions: (slug: string) => call(api.actions.versions, { params: { id: slug }, query: { limit: 500 } }),
  /** How users ran it themselves from the tray (last 30 days). */
  selfServiceUsage: (slug: string) => call(api.actions.selfServiceUsage, { params: { id: slug } }),
  version: (slug: string, version: number) => call(api.actions.version, { params: { id: slug, version } }),
  /** Versions awaiting review with their changes (reviewers: all of them; authors: their own). */
  approvals: () => call(api.actions.approvals, { query: { limit: 100 } }),
  approve: (slug: string, version: number) => call(api.actions.approve, { params: { id: slug, version } }),
  reject: (slug: string, version: number, reason: string) => call(api.actions.reject, { params: { id: slug, version }, body: { reason } }),
  /** An action file as JSON or YAML text; the body goes as is, its schema is checked by the server. */
  import: (text: string, contentType: string) =>
    call(api.actions.import, { rawBody: { text, contentType } }),
  exportUrl: (slug: string, format: 'yaml' | 'json', version?: number) =>
    url(api.actions.export, { params: { id: slug }, query: { format, version } }),
};

export const usersApi = {
  list: () => call(api.users.list, { query: { limit: 500 } }),
  create: (input: Body<typeof api.users.create>) => call(api.users.create, { body: input }),
  update: (id: string, patch: Body<typeof api.users.update>) => call(api.users.update, { params: { id }, body: patch }),
  remove: (id: string) => call(api.users.remove, { params: { id } }),
};

export const rolesApi = {
  list: () => call(api.roles.list, { query: { limit: 500 } }),
  get: (name: string) => call(api.roles.get, { params: { id: name } }),
  create: (input: RoleInput) => call(api.roles.create, { body: input }),
  update: (name: string, input: RoleInput) => call(api.roles.update, { params: { id: name }, body: input }),
  remove: (name: string) => call(api.roles.remove, { params: { id: name } }),
};

export const apiClientsApi = {
  list: () => call(api.apiClients.list, { query: { limit: 500 } }),
  create: (input: Body<typeof api.apiClients.create>) => call(api.apiClients.create, { body: input }),
  rotate: (id: string) => call(api.apiClients.rotateSecret, { params: { id } }),
  remove: (id: string) => call(api.apiClients.remove, { params: { id } }),
};

export const tokensApi = {
  list: () => call(api.tokens.list),
  create: (input: Body<typeof api.tokens.create>) => call(api.tokens.create, { body: input }),
  revoke: (id: string) => call(api.tokens.revoke, { params: { id } }),
};

export const webhooksApi = {
  list: () => call(api.webhooks.list, { query: { limit: 500 } }),
  get: (id: string) => call(api.webhooks.get, { params: { id } }),
  create: (input: Body<typeof api.webhooks.create>) => call(api.webhooks.create, { body: input }),
  update: (id: string, changes: Body<typeof api.webhooks.update>) => call(api.webhooks.update, { params: { id }, body: changes }),
  remove: (id: string) => call(api.webhooks.remove, { params: { id } }),
  rotate: (id: string) => call(api.webhooks.rotateSecret, { params: { id } }),
  test: (id: string) => call(api.webhooks.test, { params: { id } }),
  deliveries: (id: string, query: Omit<Query<typeof api.webhooks.deliveries>, 'limit'> = {}) =>
    call(api.webhooks.deliveries, { params: { id }, query: { ...query, limit: 50 } }),
  redeliver: (id: string, deliveryId: string) => call(api.webhooks.redeliver, { params: { id, deliveryId } }),
};

export const auditApi = {
  list: (query: Omit<Query<typeof api.audit.list>, 'limit'> = {}) => call(api.audit.list, { query: { ...query, limit: 50 } }),
  verify: () => call(api.audit.verify),
};
