import { z } from 'zod';
import { Id, Timestamp } from './common';

export const webhookEvents = ['execution.succeeded', 'execution.failed', 'execution.timed_out', 'execution.canceled', 'execution.expired'] as const;
export const WebhookEvent = z.enum(webhookEvents);

export const WebhookInput = z.strictObject({
  name: z.string().min(1).max(100),
  url: z.url({ protocol: /^https?$/ }).max(2000),
  events: z.array(WebhookEvent).min(1).default([...webhookEvents]),
  enabled: z.boolean().default(true),
});
export const Webhook = z.object({
  id: Id,
  name: z.string(),
  url: z.string(),
  events: z.array(WebhookEvent),
  enabled: z.boolean(),
  createdAt: Timestamp,
});
export const CreatedWebhook = Webhook.extend({ secret: z.string() });

export const WebhookDelivery = z.object({
  id: Id,
  webhookId: Id,
  event: z.string(),
  status: z.enum(['pending', 'delivered', 'failed']),
  attempts: z.number().int(),
  lastStatusCode: z.number().int().nullable(),
  lastError: z.string().nullable(),
  nextAttemptAt: Timestamp.nullable(),
  createdAt: Timestamp,
  deliveredAt: Timestamp.nullable(),
});

/** Body of a webhook POST. Verify `X-Fixpoint-Signature: t=<unix>,v1=<hex HMAC-SHA256 of "<t>.<body>">`. */
export const WebhookPayload = z.object({
  id: Id,
  event: WebhookEvent,
  at: Timestamp,
  data: z.record(z.string(), z.unknown()),
});
