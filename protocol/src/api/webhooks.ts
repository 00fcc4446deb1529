/** @module Webhook registration, secrets, test pings and delivery history. Admin only: webhooks see every execution. */
import { CreatedWebhook, Id, PageQuery, Webhook, WebhookDelivery, WebhookDeliveryQuery, WebhookInput, WebhookUpdate, page } from '../index';
import { endpoint } from './endpoint';
import { ById } from './params';

const tag = 'Webhooks';
const ByDelivery = ById.extend({ deliveryId: Id });

export const webhooks = {
  list: endpoint({ method: 'get', path: '/webhooks', summary: 'List webhooks', tag, auth: 'admin', query: PageQuery, response: page(Webhook) }),
  create: endpoint({
    method: 'post',
    path: '/webhooks',
    summary: 'Create a webhook; the response shows its signing secret, once',
    tag,
    auth: 'admin',
    body: WebhookInput,
    response: CreatedWebhook,
    status: 201,
  }),
  get: endpoint({ method: 'get', path: '/webhooks/:id', summary: 'Get a webhook', tag, auth: 'admin', params: ById, response: Webhook }),
  update: endpoint({
    method: 'put',
    path: '/webhooks/:id',
    summary: 'Change a webhook’s name, URL, events or enabled flag',
    tag,
    auth: 'admin',
    params: ById,
    body: WebhookUpdate,
    response: Webhook,
  }),
  remove: endpoint({
    method: 'delete',
    path: '/webhooks/:id',
    summary: 'Delete a webhook and its delivery history',
    tag,
    auth: 'admin',
    params: ById,
    status: 204,
  }),
  rotateSecret: endpoint({
    method: 'post',
    path: '/webhooks/:id/rotate-secret',
    summary: 'Replace the signing secret; the response shows the new one, once',
    tag,
    auth: 'admin',
    params: ById,
    response: CreatedWebhook,
  }),
  test: endpoint({
    method: 'post',
    path: '/webhooks/:id/test',
    summary: 'Queue a webhook.test delivery to check the receiver and its signature check',
    tag,
    auth: 'admin',
    params: ById,
    response: WebhookDelivery,
    status: 202,
  }),
  deliveries: endpoint({
    method: 'get',
    path: '/webhooks/:id/deliveries',
    summary: 'List a webhook’s deliveries, newest first',
    tag,
    auth: 'admin',
    params: ById,
    query: WebhookDeliveryQuery,
    response: page(WebhookDelivery),
  }),
  redeliver: endpoint({
    method: 'post',
    path: '/webhooks/:id/deliveries/:deliveryId/redeliver',
    summary: 'Send a finished delivery again, as a new delivery with the same payload',
    tag,
    auth: 'admin',
    params: ByDelivery,
    response: WebhookDelivery,
    status: 202,
  }),
};
