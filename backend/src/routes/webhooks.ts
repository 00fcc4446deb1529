/** @module Webhook registration, secrets, test pings and delivery history. Admin only: webhooks see every execution. */
import { z } from 'zod';
import {
  CreatedWebhook,
  Id,
  PageQuery,
  Webhook,
  WebhookDelivery,
  WebhookDeliveryQuery,
  WebhookInput,
  WebhookUpdate,
  page,
} from '@fixpoint/protocol';
import { route } from '../http/route';
import {
  createWebhook,
  deleteWebhook,
  getWebhook,
  listDeliveries,
  listWebhooks,
  redeliver,
  rotateWebhookSecret,
  sendTestDelivery,
  updateWebhook,
} from '../services/webhooks';

const tag = 'Webhooks';
const ById = z.object({ id: Id });
const ByDelivery = z.object({ id: Id, deliveryId: Id });

export const webhooksRoutes = [
  route({
    method: 'get',
    path: '/webhooks',
    summary: 'List webhooks',
    tag,
    auth: 'admin',
    query: PageQuery,
    response: page(Webhook),
    handler: ({ ctx, query }) => listWebhooks(ctx, query),
  }),
  route({
    method: 'post',
    path: '/webhooks',
    summary: 'Create a webhook; the response shows its signing secret, once',
    tag,
    auth: 'admin',
    body: WebhookInput,
    response: CreatedWebhook,
    status: 201,
    handler: ({ ctx, principal, body }) => createWebhook(ctx, { actor: principal.label, webhook: body }),
  }),
  route({
    method: 'get',
    path: '/webhooks/:id',
    summary: 'Get a webhook',
    tag,
    auth: 'admin',
    params: ById,
    response: Webhook,
    handler: ({ ctx, params }) => getWebhook(ctx, params.id),
  }),
  route({
    method: 'put',
    path: '/webhooks/:id',
    summary: 'Change a webhook’s name, URL, events or enabled flag',
    tag,
    auth: 'admin',
    params: ById,
    body: WebhookUpdate,
    response: Webhook,
    handler: ({ ctx, principal, params, body }) => updateWebhook(ctx, { actor: principal.label, id: params.id, changes: body }),
  }),
  route({
    method: 'delete',
    path: '/webhooks/:id',
    summary: 'Delete a webhook and its delivery history',
    tag,
    auth: 'admin',
    params: ById,
    status: 204,
    handler: async ({ ctx, principal, params }) => {
      await deleteWebhook(ctx, { actor: principal.label, id: params.id });
      return null;
    },
  }),
  route({
    method: 'post',
    path: '/webhooks/:id/rotate-secret',
    summary: 'Replace the signing secret; the response shows the new one, once',
    tag,
    auth: 'admin',
    params: ById,
    response: CreatedWebhook,
    handler: ({ ctx, principal, params }) => rotateWebhookSecret(ctx, { actor: principal.label, id: params.id }),
  }),
  route({
    method: 'post',
    path: '/webhooks/:id/test',
    summary: 'Queue a webhook.test delivery to check the receiver and its signature check',
    tag,
    auth: 'admin',
    params: ById,
    response: WebhookDelivery,
    status: 202,
    handler: ({ ctx, principal, params }) => sendTestDelivery(ctx, { actor: principal.label, id: params.id }),
  }),
  route({
    method: 'get',
    path: '/webhooks/:id/deliveries',
    summary: 'List a webhook’s deliveries, newest first',
    tag,
    auth: 'admin',
    params: ById,
    query: WebhookDeliveryQuery,
    response: page(WebhookDelivery),
    handler: ({ ctx, params, query }) => listDeliveries(ctx, { webhookId: params.id, ...query }),
  }),
  route({
    method: 'post',
    path: '/webhooks/:id/deliveries/:deliveryId/redeliver',
    summary: 'Send a finished delivery again, as a new delivery with the same payload',
    tag,
    auth: 'admin',
    params: ByDelivery,
    response: WebhookDelivery,
    status: 202,
    handler: ({ ctx, principal, params }) => redeliver(ctx, { actor: principal.label, webhookId: params.id, deliveryId: params.deliveryId }),
  }),
];
