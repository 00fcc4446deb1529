import { z } from 'zod';
import { AnswersSchema, DeviceCampaignState } from './campaign-api';
import { WebhookHelpRequestedData } from './help';
import { Id, PageQuery, Timestamp } from './common';
import { Execution, ExecutionStatus } from './executions';
import { RolloutState, RolloutWave } from './rollout';

/** Execution events: one per terminal execution status. */
export const executionWebhookEvents = ['execution.succeeded', 'execution.failed', 'execution.timed_out', 'execution.canceled', 'execution.expired'] as const;
/**
 * Events a webhook can subscribe to: each terminal execution status; a launch request whose executions all ended;
 * a staged rollout paused or completed; a campaign response; a detection rule paused (breaker or owner); a schedule
 * firing that failed.
 */
export const webhookEvents = [
  ...executionWebhookEvents, 'request.completed', 'rollout.paused', 'rollout.completed', 'campaign.responded', 'detection.paused', 'schedule.failed', 'help.requested',
] as const;
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

/** `data` of `request.completed`: every execution of the launch request ended (held or queued ones keep it open). */
export const WebhookRequestData = z.object({
  requestId: Id,
  actionSlug: z.string(),
  total: z.number().int(),
  /** Executions per terminal status (statuses no execution ended in are left out). */
  counts: z.partialRecord(ExecutionStatus, z.number().int()),
  completedAt: Timestamp,
});
export type WebhookRequestData = z.infer<typeof WebhookRequestData>;

/**
 * `data` of `rollout.paused` and `rollout.completed`: the staged rollout's state with every device of the launch counted
 * per wave and status. `cause` says who paused it: the current wave under its success rate (`wave`), the circuit
 * breaker (`breaker`) or a person (`manual`); `reason` is the text `GET /requests/:id` shows.
 */
export const WebhookRolloutData = z.object({
  requestId: Id,
  actionSlug: z.string(),
  state: RolloutState,
  /** The wave running or last released, from 1. */
  currentWave: z.number().int(),
  waves: z.array(RolloutWave),
  cause: z.enum(['wave', 'breaker', 'manual']).nullable(),
  reason: z.string().nullable(),
  at: Timestamp,
});
export type WebhookRolloutData = z.infer<typeof WebhookRolloutData>;

/**
 * `data` of `campaign.responded`: one response a device sent. Free-text answers are left out (they may hold personal
 * data); the picked choices and values are in `answers`, and the API has the rest for receivers with the rights.
 */
export const WebhookCampaignResponseData = z.object({
  responseId: Id,
  requestId: Id,
  campaignSlug: z.string(),
  campaignVersion: z.number().int(),
  deviceId: Id,
  deviceName: z.string(),
  state: DeviceCampaignState,
  answers: AnswersSchema,
  user: z.string().nullable(),
  requestedBy: z.string(),
  receivedAt: Timestamp,
});
export type WebhookCampaignResponseData = z.infer<typeof WebhookCampaignResponseData>;

/** `data` of `detection.paused`: the rule stopped firing, by its breaker or because its owner lost the right. */
export const WebhookDetectionPausedData = z.object({
  ruleId: Id,
  name: z.string(),
  cause: z.enum(['breaker', 'owner']),
  reason: z.string(),
  pausedAt: Timestamp,
});
export type WebhookDetectionPausedData = z.infer<typeof WebhookDetectionPausedData>;

/** `data` of `schedule.failed`: a firing that could not launch (or launched only part of what it matched). */
export const WebhookScheduleFailedData = z.object({
  scheduleId: Id,
  name: z.string(),
  runId: Id,
  dueAt: Timestamp,
  error: z.string(),
  matched: z.number().int(),
  launched: z.number().int(),
});
export type WebhookScheduleFailedData = z.infer<typeof WebhookScheduleFailedData>;

/** What each subscribable event reports, for the OpenAPI document's webhooks section. */
export const webhookEventSummaries: Record<WebhookEvent, string> = {
  'execution.succeeded': 'An execution ended with exit code 0 and its outputs valid',
  'execution.failed': 'An execution failed (non-zero exit, refused, or outputs that do not fit)',
  'execution.timed_out': 'An execution ran past its timeout and was stopped',
  'execution.canceled': 'An execution was canceled',
  'execution.expired': 'An execution expired before it was delivered or finished',
  'request.completed': 'Every execution of a launch request ended',
  'rollout.paused': 'A staged rollout paused: a wave fell below its success rate, its circuit breaker tripped, or a person paused it',
  'rollout.completed': 'A staged rollout released its last wave and that wave succeeded',
  'campaign.responded': 'A device sent a campaign response (answered, declined, postponed, timed out, no user …)',
  'detection.paused': 'A detection rule stopped firing: its circuit breaker tripped, or its owner lost the right to run it',
  'schedule.failed': 'A schedule firing could not launch what it matched',
  'help.requested': 'A user asked for help from the tray ("Get help"): subject, description, the device and its facts',
};

/** The `data` schema of each subscribable event, for the OpenAPI document's webhooks section. */
export const webhookEventData: Record<WebhookEvent, z.ZodType> = {
  'execution.succeeded': WebhookExecutionData,
  'execution.failed': WebhookExecutionData,
  'execution.timed_out': WebhookExecutionData,
  'execution.canceled': WebhookExecutionData,
  'execution.expired': WebhookExecutionData,
  'request.completed': WebhookRequestData,
  'rollout.paused': WebhookRolloutData,
  'rollout.completed': WebhookRolloutData,
  'campaign.responded': WebhookCampaignResponseData,
  'detection.paused': WebhookDetectionPausedData,
  'schedule.failed': WebhookScheduleFailedData,
  'help.requested': WebhookHelpRequestedData,
};

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
