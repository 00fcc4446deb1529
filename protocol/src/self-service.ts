/**
 * @module Self-service fixes and the activity view: what an action offers its end users, who launched a run (carried
 * in the signed envelope and kept in the agent's journal), and the messages that carry both between tray, agent and
 * backend.
 *
 * Tray client ↔ agent (tray IPC, after the welcome):
 * ```
 * tray  → agent  self_service {localId, op:'list'}             the fixes this device offers
 * tray  → agent  self_service {localId, op:'run', action}      run one on this device, as this user
 * agent → tray   self_service_fixes {localId, fixes}           | self_service_error {localId, code, message, retryAfterSec?}
 * agent → tray   self_service_progress {localId, action, executionId, state, …}   requested, queued, running, then the result
 * tray  → agent  activity {localId}                            what ran here in the last 30 days
 * agent → tray   activity_list {localId, entries}
 * ```
 * Agent ↔ backend (agent channel):
 * ```
 * agent  → server self_service {localId, op, action?, user, language?}
 * server → agent  self_service_reply {localId, fixes? | executionId? | error?}   a signed control frame
 * ```
 */
import { z } from 'zod';
import { ErrorCode, Id, Slug, Timestamp } from './common';
import { LocalizedLabel } from './campaigns';

/** What an action with the `self_service` trigger shows its end users, and how often they may run it. */
export const SelfServiceSettings = z.strictObject({
  /** The menu entry and window title, per language (plain text). */
  title: LocalizedLabel,
  /** What the fix does, per language (plain text, shown before the user runs it). */
  description: LocalizedLabel.default({ en: '' }),
  /** Seconds between two runs on one device (default 5 min). */
  cooldownSec: z.number().int().min(0).max(7 * 86_400).default(300),
  /** Runs per device in 24 hours (default 5). */
  dailyLimit: z.number().int().min(1).max(100).default(5),
});
export type SelfServiceSettings = z.infer<typeof SelfServiceSettings>;

/** Who launched a run, as the device shows it: a person, an API client, automation, or the device's own user. */
export const originKinds = ['person', 'api', 'schedule', 'detection', 'campaign', 'self_service'] as const;
export const OriginKind = z.enum(originKinds);
export type OriginKind = z.infer<typeof OriginKind>;
export const ExecutionOrigin = z.strictObject({
  kind: OriginKind,
  /** The person's or client's name, the schedule's or rule's label, or the device user's account. */
  name: z.string().max(400),
  /** The ticket the launch came from (the extension's or API's external reference). */
  ticket: z.string().max(500).optional(),
});
export type ExecutionOrigin = z.infer<typeof ExecutionOrigin>;

/** One fix as the device gets it; texts stay per language, the tray picks the user's. */
export const SelfServiceFix = z.strictObject({
  action: Slug,
  title: z.record(z.string(), z.string().max(300)),
  description: z.record(z.string(), z.string().max(300)),
  defaultLanguage: z.string().max(35),
});
export type SelfServiceFix = z.infer<typeof SelfServiceFix>;

/** Most fixes one list carries. */
export const maxSelfServiceFixes = 50;

// ── tray ↔ agent ──────────────────────────────────────────────────────────────

export const TraySelfService = z.strictObject({
  type: z.literal('self_service'),
  /** Chosen by the tray to match the answers to its window. */
  localId: Id,
  op: z.enum(['list', 'run']),
  /** For `run`: the action's slug. */
  action: Slug.optional(),
});
export type TraySelfService = z.infer<typeof TraySelfService>;
export const TrayActivityRequest = z.strictObject({ type: z.literal('activity'), localId: Id });
export type TrayActivityRequest = z.infer<typeof TrayActivityRequest>;

export const TraySelfServiceFixes = z.strictObject({
  type: z.literal('self_service_fixes'),
  localId: Id,
  fixes: z.array(SelfServiceFix).max(maxSelfServiceFixes),
});
/** Why a list or a run was refused: `rate_limited` for a cooldown or the daily limit, with when to try again. */
export const TraySelfServiceError = z.strictObject({
  type: z.literal('self_service_error'),
  localId: Id,
  code: ErrorCode,
  message: z.string().max(2000),
  retryAfterSec: z.number().int().min(0).optional(),
});
export const selfServiceStates = ['queued', 'running', 'succeeded', 'failed', 'timed_out', 'canceled'] as const;
export const SelfServiceState = z.enum(selfServiceStates);
export type SelfServiceState = z.infer<typeof SelfServiceState>;
export const TraySelfServiceProgress = z.strictObject({
  type: z.literal('self_service_progress'),
  localId: Id,
  action: Slug,
  executionId: Id,
  state: SelfServiceState,
  exitCode: z.number().int().nullable().optional(),
  at: Timestamp,
});
export type TraySelfServiceProgress = z.infer<typeof TraySelfServiceProgress>;

/** One run on this device as the activity view shows it; secret parameter values are `***`. */
export const ActivityEntry = z.strictObject({
  executionId: Id,
  action: z.string().max(100),
  origin: ExecutionOrigin.nullable(),
  startedAt: Timestamp,
  finishedAt: Timestamp.nullable(),
  /** `running` until a result, `refused` when the agent refused it. */
  status: z.enum(['running', 'succeeded', 'failed', 'timed_out', 'canceled', 'refused']),
  exitCode: z.number().int().nullable(),
  parameters: z.record(z.string(), z.string().max(200)),
});
export type ActivityEntry = z.infer<typeof ActivityEntry>;
/** How far back the activity view looks. */
export const activityWindowDays = 30;
export const maxActivityEntries = 200;
export const TrayActivityList = z.strictObject({
  type: z.literal('activity_list'),
  localId: Id,
  entries: z.array(ActivityEntry).max(maxActivityEntries),
});
export type TrayActivityList = z.infer<typeof TrayActivityList>;

// ── agent ↔ backend ───────────────────────────────────────────────────────────

export const AgentSelfService = z.strictObject({
  type: z.literal('self_service'),
  localId: Id,
  op: z.enum(['list', 'run']),
  action: Slug.optional(),
  /** The account of the tray that asked: the run's `requestedBy` and the audit's actor. */
  user: z.string().min(1).max(256),
});
export type AgentSelfService = z.infer<typeof AgentSelfService>;

export const SelfServiceReplyError = z.strictObject({
  code: ErrorCode,
  message: z.string().max(2000),
  retryAfterSec: z.number().int().min(0).optional(),
});
/** The server's answer: the fixes for `list`, the execution it launched for `run`, or why not. */
export const selfServiceReplyBody = {
  type: z.literal('self_service_reply'),
  localId: Id,
  fixes: z.array(SelfServiceFix).max(maxSelfServiceFixes).optional(),
  executionId: Id.optional(),
  error: SelfServiceReplyError.optional(),
};

/** One self-service run, as the console lists an action's use. */
export const SelfServiceUse = z.object({
  executionId: Id,
  deviceId: Id,
  deviceName: z.string().nullable(),
  user: z.string(),
  status: z.string(),
  createdAt: Timestamp,
});
export type SelfServiceUse = z.infer<typeof SelfServiceUse>;
export const SelfServiceUsage = z.object({
  /** Runs in the last 24 hours and the last 30 days, on devices the caller may see. */
  last24h: z.number().int(),
  last30d: z.number().int(),
  users: z.number().int(),
  items: z.array(SelfServiceUse),
});
export type SelfServiceUsage = z.infer<typeof SelfServiceUsage>;
