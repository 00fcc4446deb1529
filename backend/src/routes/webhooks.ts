/** @module Handlers of webhook registration, secrets, test pings and delivery history. Admin only: webhooks see every execution. */
import { api } from '@fixpoint/protocol/api';
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

const { webhooks } = api;

export const webhooksRoutes = [
  route(webhooks.list, ({ ctx, query }) => listWebhooks(ctx, query)),
  route(webhooks.create, ({ ctx, principal, body }) => createWebhook(ctx, { actor: principal.label, webhook: body })),
  route(webhooks.get, ({ ctx, params }) => getWebhook(ctx, params.id)),
  route(webhooks.update, ({ ctx, principal, params, body }) => updateWebhook(ctx, { actor: principal.label, id: params.id, changes: body })),
  route(webhooks.remove, async ({ ctx, principal, params }) => {
    await deleteWebhook(ctx, { actor: principal.label, id: params.id });
    return null;
  }),
  route(webhooks.rotateSecret, ({ ctx, principal, params }) => rotateWebhookSecret(ctx, { actor: principal.label, id: params.id })),
  route(webhooks.test, ({ ctx, principal, params }) => sendTestDelivery(ctx, { actor: principal.label, id: params.id })),
  route(webhooks.deliveries, ({ ctx, params, query }) => listDeliveries(ctx, { webhookId: params.id, ...query })),
  route(webhooks.redeliver, ({ ctx, principal, params }) =>
    redeliver(ctx, { actor: principal.label, webhookId: params.id, deliveryId: params.deliveryId }),
  ),
];
