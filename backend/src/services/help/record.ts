/**
 * @module Storing a help request a device's tray sent ("Get help"). Not exposed over HTTP: the agent channel calls
 * it after authenticating the device. One transaction stores the request with a copy of the device's facts, appends
 * the audit entry and queues the `help.requested` webhook.
 */
import { eq } from 'drizzle-orm';
import { AgentHelpRequest, helpLimits, type WebhookHelpRequestedData } from '@fixpoint/protocol';
import type { AppContext } from '../../context';
import { devices, helpRequests } from '../../db/schema';
import { AppError, invalid, notFound } from '../../errors';
import { appendAudit } from '../audit';
import { enqueueWebhookEvents, isSubscribed } from '../webhooks';

export interface RecordHelpInput {
  deviceId: string;
  request: Omit<AgentHelpRequest, 'type' | 'localId'>;
}

/** Where the API serves a request's screenshot (absolute with `FIXPOINT_PUBLIC_URL`). */
export function screenshotUrl(ctx: AppContext, id: string): string {
  return `${(ctx.config.publicUrl ?? '').replace(/\/$/, '')}/api/v1/help-requests/${id}/screenshot`;
}

/** Bytes a base64 text decodes to. */
const decodedBytes = (data: string) => Math.floor((data.length * 3) / 4) - (data.endsWith('==') ? 2 : data.endsWith('=') ? 1 : 0);

export async function recordHelpRequest(ctx: AppContext, input: RecordHelpInput): Promise<{ id: string }> {
  const { screenshot, ...fields } = input.request;
  const bytes = screenshot ? decodedBytes(screenshot.data) : null;
  if (bytes !== null && bytes > helpLimits.maxScreenshotBytes)
    throw new AppError(413, 'payload_too_large', `the screenshot is ${Math.ceil(bytes / 1024)} KB; the limit is ${helpLimits.maxScreenshotBytes / 1024} KB`);
  const shape = AgentHelpRequest.pick({ subject: true, description: true, user: true }).safeParse(fields);
  if (!shape.success) throw invalid(`the help request is malformed: ${shape.error.issues[0]!.message}`, shape.error.issues);
  return ctx.db.transaction(async (tx) => {
    const [device] = await tx.select({ name: devices.name, facts: devices.facts }).from(devices).where(eq(devices.id, input.deviceId));
    if (!device) throw notFound(`device ${input.deviceId}`);
    const now = ctx.now();
    const [row] = await tx
      .insert(helpRequests)
      .values({
        deviceId: input.deviceId,
        user: shape.data.user,
        subject: shape.data.subject,
        description: shape.data.description,
        screenshotMediaType: screenshot?.mediaType ?? null,
        screenshotData: screenshot?.data ?? null,
        screenshotBytes: bytes,
        facts: device.facts,
        createdAt: now,
      })
      .returning({ id: helpRequests.id });
    const id = row!.id;
    await appendAudit(tx, { actor: `device:${input.deviceId}`, action: 'help.request', target: `help-request:${id}`, details: { user: shape.data.user, subject: shape.data.subject, screenshot: bytes !== null } }, now);
    if (await isSubscribed(ctx, tx, 'help.requested')) {
      const data: WebhookHelpRequestedData = {
        helpRequestId: id,
        deviceId: input.deviceId,
        deviceName: device.name,
        user: shape.data.user,
        subject: shape.data.subject,
        description: shape.data.description,
        screenshotUrl: bytes !== null ? screenshotUrl(ctx, id) : null,
        facts: device.facts,
        createdAt: now.toISOString(),
      };
      await enqueueWebhookEvents(ctx, tx, [{ event: 'help.requested', key: id, data }]);
    }
    return { id };
  });
}
