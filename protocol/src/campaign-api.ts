/**
 * @module Campaign resources on the wire: versions and lifecycle, triggers and their per-target outcome,
 * requests, responses and results.
 */
import { z } from 'zod';
import { Id, PageQuery, Slug, Timestamp } from './common';
import { CampaignFields, CampaignParameterName, campaignLimits, LanguageCode } from './campaigns';

export const campaignStatuses = ['draft', 'published', 'retired'] as const;
export const CampaignStatus = z.enum(campaignStatuses);
export type CampaignStatus = z.infer<typeof CampaignStatus>;

export const Campaign = z.object({
  id: Id,
  slug: Slug,
  name: z.string(),
  description: z.string(),
  status: CampaignStatus,
  latestVersion: z.number().int(),
  /** The version triggers send; null until first published. */
  publishedVersion: z.number().int().nullable(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  publishedAt: Timestamp.nullable(),
  retiredAt: Timestamp.nullable(),
});
export type Campaign = z.infer<typeof Campaign>;

export const CampaignVersion = CampaignFields.extend({
  id: Id,
  campaignId: Id,
  version: z.number().int(),
  createdAt: Timestamp,
  createdBy: z.string(),
});
export type CampaignVersion = z.infer<typeof CampaignVersion>;

export const CampaignWithVersion = Campaign.extend({
  current: CampaignVersion,
  /** Allowed but probably unintended: unreachable questions, partial translations. */
  warnings: z.array(z.string()),
});
export type CampaignWithVersion = z.infer<typeof CampaignWithVersion>;

/** A user as the agent reports the console session (`DOMAIN\\ana`, `ana`); matched case-insensitively. */
export const TargetUserName = z
  .string()
  .min(1)
  .max(256)
  .refine((s) => ![...s].some((ch) => ch.charCodeAt(0) < 0x20 || ch === '\u007f'), { message: 'no control characters' });
export const CampaignParameterValues = z.record(
  CampaignParameterName,
  z.string().max(campaignLimits.maxParameterValueLength, `a parameter value is limited to ${campaignLimits.maxParameterValueLength} characters`),
);

export const TriggerCampaign = z
  .strictObject({
    devices: z.array(Id).max(campaignLimits.maxDevicesPerTrigger, `a trigger is limited to ${campaignLimits.maxDevicesPerTrigger} devices`).default([]),
    /** Users reached on the devices where they are the logged-in user. */
    users: z.array(TargetUserName).max(campaignLimits.maxUsersPerTrigger, `a trigger is limited to ${campaignLimits.maxUsersPerTrigger} users`).default([]),
    parameters: CampaignParameterValues.default({}),
    /** Overrides the campaign's expirySec for this trigger. */
    expirySec: z.number().int().min(campaignLimits.minExpirySec).max(campaignLimits.maxExpirySec).optional(),
  })
  .refine((t) => t.devices.length + t.users.length > 0, { message: 'name at least one device or user to send the campaign to' });
export type TriggerCampaign = z.infer<typeof TriggerCampaign>;

/** `waiting_for_user`: queued for a device where nobody is logged in (as its agent last said); shown at the next login. */
export const triggerOutcomes = ['queued', 'waiting_for_user', 'already_pending', 'not_found', 'out_of_scope'] as const;
export const TriggerOutcome = z.enum(triggerOutcomes);
export type TriggerOutcome = z.infer<typeof TriggerOutcome>;

export const TriggerTargetResult = z.object({
  target: z.object({ kind: z.enum(['device', 'user']), value: z.string() }),
  outcome: TriggerOutcome,
  /** The requests created (queued, waiting_for_user) or already waiting (already_pending) for this target. */
  requests: z.array(z.object({ requestId: Id, deviceId: Id })),
});
export const TriggerResult = z.object({
  campaignId: Id,
  version: z.number().int(),
  queued: z.number().int(),
  expiresAt: Timestamp,
  results: z.array(TriggerTargetResult),
});
export type TriggerResult = z.infer<typeof TriggerResult>;

export const campaignRequestStatuses = ['pending', 'answered', 'expired', 'canceled'] as const;
export const CampaignRequestStatus = z.enum(campaignRequestStatuses);
export type CampaignRequestStatus = z.infer<typeof CampaignRequestStatus>;

export const CampaignRequest = z.object({
  id: Id,
  campaignId: Id,
  campaignVersion: z.number().int(),
  deviceId: Id,
  targetUser: z.string().nullable(),
  parameters: z.record(z.string(), z.string()),
  status: CampaignRequestStatus,
  requestedBy: z.string(),
  createdAt: Timestamp,
  expiresAt: Timestamp,
  closedAt: Timestamp.nullable(),
});
export type CampaignRequest = z.infer<typeof CampaignRequest>;

/**
 * How a prompt ended. Only `postponed` leaves the request pending (the tray asks again after postponeDelaySec);
 * `deadline_reached`: the campaign's deadline came first.
 */
export const responseStates = ['fully', 'declined', 'postponed', 'timeout', 'expired', 'no_user', 'notification_failed', 'deadline_reached'] as const;
export const ResponseState = z.enum(responseStates);
export type ResponseState = z.infer<typeof ResponseState>;

/** Where a request stands for a script reading it: its latest response state, or still `pending`, or `canceled`. */
export const DeviceCampaignState = z.union([ResponseState, z.enum(['pending', 'canceled'])]);
export type DeviceCampaignState = z.infer<typeof DeviceCampaignState>;

export const AnswersSchema = z.record(z.string().max(64), z.array(z.string().max(64)).max(campaignLimits.maxChoices));
/** Capped generously; validateAnswers enforces each question's own maxLength. */
export const FreeTextSchema = z.record(z.string().max(64), z.string().max(campaignLimits.maxTextAnswerLength * 4));

/** What the agent sends back for a request. */
export const CampaignResponseInput = z.strictObject({
  requestId: Id,
  state: ResponseState,
  answers: AnswersSchema.default({}),
  freeText: FreeTextSchema.default({}),
  /** Display name of the user who answered, when there was one. */
  user: z.string().max(256).nullable().default(null),
  language: LanguageCode.optional(),
  respondedAt: Timestamp.optional(),
});
export type CampaignResponseInput = z.infer<typeof CampaignResponseInput>;

export const CampaignResponse = z.object({
  id: Id,
  requestId: Id,
  campaignId: Id,
  campaignVersion: z.number().int(),
  deviceId: Id,
  state: ResponseState,
  answers: z.record(z.string(), z.array(z.string())),
  freeText: z.record(z.string(), z.string()),
  parameters: z.record(z.string(), z.string()),
  user: z.string().nullable(),
  language: z.string().nullable(),
  triggeredAt: Timestamp,
  respondedAt: Timestamp.nullable(),
  receivedAt: Timestamp,
});
export type CampaignResponse = z.infer<typeof CampaignResponse>;

export const CampaignResponseQuery = PageQuery.extend({ state: ResponseState.optional() });

export const QuestionResult = z.object({
  id: z.string(),
  type: z.string(),
  /** Responses with an answer to this question. */
  answered: z.number().int(),
  /** Count per choice id (single, multiple) or per value (scale, nps). */
  counts: z.record(z.string(), z.number().int()),
  average: z.number().nullable(),
  /** For NPS questions: % promoters − % detractors, from −100 to 100; null without answers. */
  nps: z
    .object({ promoters: z.number().int(), passives: z.number().int(), detractors: z.number().int(), score: z.number().nullable() })
    .optional(),
});
export type QuestionResult = z.infer<typeof QuestionResult>;

export const CampaignResults = z.object({
  campaignId: Id,
  requests: z.object(Object.fromEntries(['total', ...campaignRequestStatuses].map((s) => [s, z.number().int()])) as Record<'total' | CampaignRequestStatus, z.ZodNumber>),
  /** The latest response state of each request that has one. */
  states: z.object(Object.fromEntries(responseStates.map((s) => [s, z.number().int()])) as Record<ResponseState, z.ZodNumber>),
  questions: z.array(QuestionResult),
});
export type CampaignResults = z.infer<typeof CampaignResults>;

/**
 * A standing trigger: the devices a query selects get the campaign once, or again `repeatAfterDays` after their
 * last request. It is owned by whoever saved it and reaches only devices in the owner's scope, with the owner's
 * `campaigns:trigger`.
 */
export const CampaignScheduleInput = z
  .strictObject({
    /** A `devices` query with `where`, `sort` and `limit` stages, e.g. `devices | where os.platform == "windows"`. */
    query: z.string().min(1).max(2000),
    /**
     * A saved query (id or name) the query is narrowed to, read at each run: a dynamic category. It must be a
     * condition (no `limit`). Null: the query alone.
     */
    savedQuery: z.string().trim().min(1).max(100).nullable().default(null),
    mode: z.enum(['once', 'repeat']),
    repeatAfterDays: z.number().int().min(1).max(365).optional(),
    parameters: CampaignParameterValues.default({}),
    expirySec: z.number().int().min(campaignLimits.minExpirySec).max(campaignLimits.maxExpirySec).optional(),
    enabled: z.boolean().default(true),
  })
  .refine((s) => (s.mode === 'repeat') === (s.repeatAfterDays !== undefined), {
    message: 'repeatAfterDays goes with mode "repeat", and only with it',
    path: ['repeatAfterDays'],
  });
export type CampaignScheduleInput = z.infer<typeof CampaignScheduleInput>;

export const CampaignSchedule = z.object({
  id: Id,
  campaignId: Id,
  query: z.string(),
  /** The saved query the query is narrowed to, by id, and its name. */
  savedQuery: z.object({ id: Id, name: z.string() }).nullable(),
  mode: z.enum(['once', 'repeat']),
  repeatAfterDays: z.number().int().nullable(),
  parameters: z.record(z.string(), z.string()),
  expirySec: z.number().int().nullable(),
  enabled: z.boolean(),
  /** Whose rights and device scope it triggers with (`user:<email>` or `client:<clientId>`); null when saved before owners existed. */
  owner: z.string().nullable(),
  /** Why it stopped triggering on its own (its owner lost `campaigns:trigger`, or it has none). */
  pausedReason: z.string().nullable(),
  pausedAt: Timestamp.nullable(),
  createdBy: z.string(),
  createdAt: Timestamp,
  lastRunAt: Timestamp.nullable(),
});
export type CampaignSchedule = z.infer<typeof CampaignSchedule>;

/** A response as a device's page lists it: across campaigns, so it names its campaign. */
export const DeviceCampaignResponse = CampaignResponse.extend({ campaignSlug: Slug, campaignName: z.string() });
export type DeviceCampaignResponse = z.infer<typeof DeviceCampaignResponse>;
