import { z } from 'zod';
import { Id, PageQuery, Timestamp } from './common';
import { Execution } from './executions';

/** Events a webhook can subscribe to: one per terminal execution status. */
export const webhookEvents = ['execution.succeeded', 'execution.failed', 'execution.timed_out', 'execution.canceled', 'execution.expired'] as const;
export const WebhookEvent = z.enum(webhookEvents);
export type WebhookEvent = z.infer<typeof WebhookEvent>;

/** Sent only on request (`POST /webhooks/:id/test`), whatever the subscription; never subscribable. */
export const webhookTestEvent = 'webhook.test';
/** Every event a delivery can carry: the subscribable ones plus the test ping. */
export const WebhookDeliveryEvent = z.enum([...webhookEvents, webhookTestEvent]);
export type WebhookDeliveryEvent = z.infer<typeof WebhookDeliveryEvent>;

// Credentials in the URL would be shown in listings and sent in clear to proxies; the signature authenticates instead.
const WebhookUrl = z
  .url({ protocol: /^https?$/ })
  .max(2000)
  .refine((u) => !/^[a-z]+:\/\/[^/?#]*@/i.test(u), 'remove the user name and password from the URL; receivers check the signature');

const webhookFields = {
  name: z.string().trim().min(1).max(100),
  url: WebhookUrl,
  events: z.array(WebhookEvent).min(1).max(webhookEvents.length * 2),
  enabled: z.boolean(),
};

export const WebhookInput = z.strictObject({
  ...webhookFields,
  events: webhookFields.events.default([...webhookEvents]),
  enabled: webhookFields.enabled.default(true),
});
export type WebhookInput = z.infer<typeof WebhookInput>;

/** `PUT /webhooks/:id`: the fields to change; the secret changes only through rotate-secret. */
export const WebhookUpdate = z
  .strictObject(webhookFields)
  .partial()
  .refine((v) => Object.keys(v).length > 0, 'give at least one field to change');
export type WebhookUpdate = z.infer<typeof WebhookUpdate>;

export const Webhook = z.object({
  id: Id,
  name: z.string(),
  url: z.string(),
  events: z.array(WebhookEvent),
  enabled: z.boolean(),
  createdAt: Timestamp,
});
export type Webhook = z.infer<typeof Webhook>;
/** Returned once, on create and on rotate-secret: the only time the `whsec_…` secret is shown. */
export const CreatedWebhook = Webhook.extend({ secret: z.string() });
export type CreatedWebhook = z.infer<typeof CreatedWebhook>;

export const webhookDeliveryStatuses = ['pending', 'delivered', 'failed'] as const;
export const WebhookDeliveryStatus = z.enum(webhookDeliveryStatuses);
export type WebhookDeliveryStatus = z.infer<typeof WebhookDeliveryStatus>;

export const WebhookDelivery = z.object({
  id: Id,
  webhookId: Id,
  event: z.string(),
  status: WebhookDeliveryStatus,
  attempts: z.number().int(),
  lastStatusCode: z.number().int().nullable(),
  lastError: z.string().nullable(),
  nextAttemptAt: Timestamp.nullable(),
  createdAt: Timestamp,
  deliveredAt: Timestamp.nullable(),
});
export type WebhookDelivery = z.infer<typeof WebhookDelivery>;

export const WebhookDeliveryQuery = PageQuery.extend({ status: WebhookDeliveryStatus.optional() });

/**
 * `data` of an `execution.*` event: the execution without its parameters (they may hold personal data)
 * and without stdout/stderr tails.
 */
export const WebhookExecutionData = Execution.pick({
  id: true,
  requestId: true,
  deviceId: true,
  deviceName: true,
  actionId: true,
  actionSlug: true,
  actionVersion: true,
  status: true,
  trigger: true,
  triggerInfo: true,
  exitCode: true,
  error: true,
  outputs: true,
  expiresAt: true,
  createdAt: true,
  deliveredAt: true,
  startedAt: true,
  finishedAt: true,
});
export type WebhookExecutionData = z.infer<typeof WebhookExecutionData>;

/**
 * Body of a webhook POST. `id` names the event: redeliveries of it keep the same `id`, so receivers can drop
 * duplicates (delivery is at least once). Verify `X-Fixpoint-Signature: t=<unix>,v1=<hex HMAC-SHA256 of "<t>.<body>">`.
 */
export const WebhookPayload = z.object({
  id: Id,
  event: WebhookDeliveryEvent,
  at: Timestamp,
  data: z.record(z.string(), z.unknown()),
});
export type WebhookPayload = z.infer<typeof WebhookPayload>;
