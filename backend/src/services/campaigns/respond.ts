/**
 * @module Recording what a device reports for a request. Not exposed over HTTP: the agent channel calls it
 * once it carries campaigns, after authenticating the device.
 */
import { eq } from 'drizzle-orm';
import { CampaignResponseInput, validateAnswers, type Answers, type CampaignResponse, type FreeText, type ResponseState, type WebhookCampaignResponseData } from '@fixpoint/protocol';
import type { AppContext } from '../../context';
import { campaignRequests, campaignResponses, campaigns, campaignVersions, devices } from '../../db/schema';
import { conflict, invalid, notFound } from '../../errors';
import { enqueueWebhookEvents, isSubscribed } from '../webhooks';
import { toCampaignResponse } from './convert';

export interface RecordResponseInput {
  requestId: string;
  /** The authenticated device reporting; it must be the device the request was sent to. */
  deviceId: string;
  state: ResponseState;
  answers?: Answers;
  freeText?: FreeText;
  /** Display name of the user who answered, when there was one. */
  user?: string | null;
  language?: string | null;
  respondedAt?: Date | null;
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Stores a response after checking its answers against the version the request was sent with (`validateAnswers`:
 * known questions and choices, ranges, text length, answers that follow the branching, and a complete walk for
 * `fully`). Every state but `postponed` closes the request; a closed or expired request takes no more responses.
 */
export async function recordResponse(ctx: AppContext, input: RecordResponseInput): Promise<CampaignResponse> {
  if (!uuidPattern.test(input.requestId)) throw notFound(`campaign request ${input.requestId}`);
  const shape = CampaignResponseInput.pick({ state: true, answers: true, freeText: true, user: true }).safeParse({
    state: input.state,
    answers: input.answers ?? {},
    freeText: input.freeText ?? {},
    user: input.user ?? null,
  });
  if (!shape.success) throw invalid(`the response is malformed: ${shape.error.issues[0]!.message}`, shape.error.issues);
  // PostgreSQL text and jsonb cannot hold U+0000
  if (JSON.stringify([shape.data, input.language ?? null]).includes('\\u0000')) throw invalid('the response cannot contain the NUL character (\\u0000)');
  const { answers, freeText } = shape.data;
  return ctx.db.transaction(async (tx) => {
    const [found] = await tx
      .select({ request: campaignRequests, version: campaignVersions })
      .from(campaignRequests)
      .innerJoin(campaignVersions, eq(campaignVersions.id, campaignRequests.campaignVersionId))
      .where(eq(campaignRequests.id, input.requestId.toLowerCase()))
      .for('update', { of: campaignRequests });
    // another device's request is as unknown as a missing one
    if (!found || found.request.deviceId !== input.deviceId.toLowerCase()) throw notFound(`campaign request ${input.requestId}`);
    const { request, version } = found;
    const now = ctx.now();
    if (request.status !== 'pending') throw conflict(`campaign request ${request.id} is ${request.status} and takes no more responses`);
    if (request.expiresAt <= now) throw conflict(`campaign request ${request.id} expired at ${request.expiresAt.toISOString()}`);

    const check = validateAnswers(version.definition, answers, { freeText, complete: input.state === 'fully' });
    if (!check.ok) throw invalid(`the answers do not fit the campaign: ${check.problems[0]!.message}`, check.problems);

    const [row] = await tx
      .insert(campaignResponses)
      .values({
        requestId: request.id,
        campaignId: request.campaignId,
        campaignVersionId: request.campaignVersionId,
        deviceId: request.deviceId,
        state: input.state,
        answers,
        freeText,
        user: input.user ?? null,
        language: input.language ?? null,
        respondedAt: input.respondedAt ?? null,
        receivedAt: now,
      })
      .returning();
    if (input.state !== 'postponed')
      await tx
        .update(campaignRequests)
        .set({ status: input.state === 'expired' ? 'expired' : 'answered', closedAt: now })
        .where(eq(campaignRequests.id, request.id));
    if (await isSubscribed(ctx, tx, 'campaign.responded')) {
      const [names] = await tx
        .select({ campaignSlug: campaigns.slug, deviceName: devices.name })
        .from(campaigns)
        .innerJoin(devices, eq(devices.id, request.deviceId))
        .where(eq(campaigns.id, request.campaignId));
      const data: WebhookCampaignResponseData = {
        responseId: row!.id,
        requestId: request.id,
        campaignSlug: names?.campaignSlug ?? '',
        campaignVersion: version.version,
        deviceId: request.deviceId,
        deviceName: names?.deviceName ?? '',
        state: input.state,
        answers: structuredClone(answers) as WebhookCampaignResponseData['answers'],
        user: input.user ?? null,
        requestedBy: request.requestedBy,
        receivedAt: now.toISOString(),
      };
      await enqueueWebhookEvents(ctx, tx, [{ event: 'campaign.responded', key: row!.id, data }]);
    }
    return toCampaignResponse(row!, request, version.version);
  });
}
