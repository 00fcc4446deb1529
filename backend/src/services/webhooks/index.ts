/** @module Webhooks: registration, signed delivery of execution, request, campaign, detection and schedule events, retries with backoff. */
export { createWebhook } from './create';
export { updateWebhook } from './update';
export { rotateWebhookSecret } from './rotate-secret';
export { deleteWebhook } from './delete';
export { getWebhook, listWebhooks, listDeliveries } from './read';
export { sendTestDelivery, redeliver } from './send-again';
export { enqueueExecutionEvents } from './enqueue-execution';
export { enqueueWebhookEvents, isSubscribed, type WebhookEventInput } from './enqueue-event';
export { startWebhookDispatcher, type WebhookDispatcher, type WebhookDispatcherOptions } from './dispatcher';
export { newWebhookSecret, signWebhookBody, verifyWebhookSignature } from './signature';
export { backoffDelayMs, defaultBackoffScheduleMs, defaultMaxAttempts } from './backoff';
