/**
 * @module "Get help": a user asks IT for help from the tray (subject, description, and a screenshot only when they
 * tick it). The tray sends `help` to the agent, the agent `help_request` to the backend, which stores it with the
 * device's facts, answers `help_ack`, sends the `help.requested` webhook and lists it in the console.
 * ```
 * tray  → agent   help {localId, subject, description, screenshot?}
 * agent → server  help_request {localId, user, subject, description, screenshot?}
 * server → agent  help_ack {localId, id?, error?}          a signed control frame
 * agent → tray    help_result {localId, id?, error?}
 * ```
 */
import { z } from 'zod';
import { ErrorCode, Id, page, PageQuery, Timestamp } from './common';

export const helpLimits = {
  maxSubjectLength: 200,
  maxDescriptionLength: 5000,
  /** Of the image itself; base64 makes it a third larger, which still fits a channel frame. */
  maxScreenshotBytes: 1024 * 1024,
} as const;

const noNul = (s: string) => !s.includes('\u0000');
export const HelpSubject = z.string().trim().min(1, 'give a subject').max(helpLimits.maxSubjectLength, `a subject is limited to ${helpLimits.maxSubjectLength} characters`).refine(noNul, 'no NUL characters');
export const HelpDescription = z
  .string()
  .max(helpLimits.maxDescriptionLength, `a description is limited to ${helpLimits.maxDescriptionLength} characters`)
  .refine(noNul, 'no NUL characters');

/** Base64 length of `bytes` bytes. */
const base64Length = (bytes: number) => Math.ceil(bytes / 3) * 4;

/** A screenshot the user chose to include: PNG or JPEG, base64, at most `helpLimits.maxScreenshotBytes`. */
export const HelpScreenshot = z.strictObject({
  mediaType: z.enum(['image/png', 'image/jpeg']),
  data: z
    .string()
    .max(base64Length(helpLimits.maxScreenshotBytes), `a screenshot is limited to ${helpLimits.maxScreenshotBytes / 1024} KB`)
    .regex(/^[A-Za-z0-9+/]+={0,2}$/, 'base64'),
});
export type HelpScreenshot = z.infer<typeof HelpScreenshot>;

const helpFields = { localId: Id, subject: HelpSubject, description: HelpDescription, screenshot: HelpScreenshot.optional() };

/** Tray → agent. */
export const TrayHelp = z.strictObject({ type: z.literal('help'), ...helpFields });
export type TrayHelp = z.infer<typeof TrayHelp>;
/** Agent → tray: the request is stored as `id`, or `error` says why not. */
export const TrayHelpResult = z.strictObject({
  type: z.literal('help_result'),
  localId: Id,
  id: Id.optional(),
  error: z.strictObject({ code: z.string().max(64), message: z.string().max(2000) }).optional(),
});
export type TrayHelpResult = z.infer<typeof TrayHelpResult>;

/** Agent → server: the user is the tray's account, which the agent authenticated. */
export const AgentHelpRequest = z.strictObject({ type: z.literal('help_request'), ...helpFields, user: z.string().min(1).max(256) });
export type AgentHelpRequest = z.infer<typeof AgentHelpRequest>;

/** Server → agent (sealed as a control frame in agent-channel.ts). */
export const helpAckFields = {
  type: z.literal('help_ack'),
  localId: Id,
  id: Id.optional(),
  error: z.strictObject({ code: ErrorCode, message: z.string().max(2000) }).optional(),
};

/** A stored help request, as the API lists it. */
export const HelpRequest = z.object({
  id: Id,
  deviceId: Id,
  deviceName: z.string(),
  user: z.string(),
  subject: z.string(),
  description: z.string(),
  /** `GET /help-requests/:id/screenshot` serves it. */
  screenshot: z.object({ mediaType: z.string(), bytes: z.number().int() }).nullable(),
  /** The device's facts when the request arrived (OS, hardware, network, logged-in users …). */
  facts: z.record(z.string(), z.unknown()),
  createdAt: Timestamp,
});
export type HelpRequest = z.infer<typeof HelpRequest>;

export const HelpRequestQuery = PageQuery.extend({ device: Id.optional() });
export const HelpRequestPage = page(HelpRequest);

/** `data` of `help.requested`. The screenshot itself is left out: `screenshotUrl` fetches it with `devices:read`. */
export const WebhookHelpRequestedData = z.object({
  helpRequestId: Id,
  deviceId: Id,
  deviceName: z.string(),
  user: z.string(),
  subject: z.string(),
  description: z.string(),
  screenshotUrl: z.string().nullable(),
  facts: z.record(z.string(), z.unknown()),
  createdAt: Timestamp,
});
export type WebhookHelpRequestedData = z.infer<typeof WebhookHelpRequestedData>;
