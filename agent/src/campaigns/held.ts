/** @module A campaign request the agent holds for a user, and what a tray gets for it. */
import { promptDeadline, type Deadline, type DeadlineOverrides } from './deadline';
import { renderCampaign, type CampaignRequestPush, type PromptRequest, type ScriptCampaignOutcome } from '@fixpoint/protocol';

/** A script waiting in `fixpoint campaign`. */
export interface Waiter {
  localId: string;
  campaign: string;
  parameters: Record<string, string>;
  timeoutSec: number;
  executionId: string | undefined;
  /** The console user when the script asked. */
  user: string | null;
  /** Set once the server created (or found) the request. */
  requestId: string | null;
  /** The request was pending before this script asked: the script reads its answer but never closes it. */
  reused: boolean;
  /** `--no-wait`: the wait ends as soon as the request exists. */
  noWait: boolean;
  /** The script gave `--timeout`: a deadline does not extend the wait. */
  explicitTimeout: boolean;
  /** `--deadline`, `--max-postpones`, `--countdown`: applied to a request the script created. */
  overrides: DeadlineOverrides;
  deadline: number;
  timer: NodeJS.Timeout | null;
  resolve(outcome: ScriptCampaignOutcome): void;
}

/** A pending request on this device. */
export interface Held {
  push: CampaignRequestPush;
  /** Who answers it: the user the trigger named, else the console user; null until someone is there. */
  user: string | null;
  /** A tray of the user got it. */
  delivered: boolean;
  /** A tray put it on screen. */
  shown: boolean;
  /** After a postpone: not before this time (ISO). */
  notBefore: string | undefined;
  expiryTimer: NodeJS.Timeout | null;
  /** Scripts reading this request's answer (several scripts may ask for the same campaign). */
  waiters: Set<Waiter>;
  /** When the request goes ahead without an answer, if it has a deadline. */
  deadline: Deadline | null;
  deadlineTimer: NodeJS.Timeout | null;
  /** Postpones taken so far (counted against `deadline.maxPostpones`). */
  postpones: number;
}

/** The prompt for one tray, rendered in its language. */
export function promptFor(held: Held, language: string | undefined): PromptRequest {
  const { push } = held;
  return {
    requestId: push.requestId,
    campaignId: push.campaignId,
    campaignVersion: push.campaignVersion,
    campaign: push.definition,
    rendered: renderCampaign(push.definition, { language, parameters: push.parameters, user: held.user ?? undefined }),
    parameters: push.parameters,
    urgency: push.urgency,
    source: push.source,
    expiresAt: push.expiresAt,
    ...(held.notBefore ? { notBefore: held.notBefore } : {}),
    ...(held.deadline ? { deadline: promptDeadline(held.deadline, held.postpones) } : {}),
  };
}

/**
 * How a script's wait ended when time ran out: `expired` past the request's expiry, `timeout` when a tray had the
 * prompt, `notification_failed` when the user is logged in but no tray took it, `no_user` when nobody is logged in.
 */
export function timeoutState(held: Held | undefined, session: boolean, now: number): 'expired' | 'timeout' | 'notification_failed' | 'no_user' {
  // timers may fire a hair early; a wait ending within a second of the expiry ended by it
  if (held && Date.parse(held.push.expiresAt) <= now + 1000) return 'expired';
  if (held && (held.delivered || held.shown)) return 'timeout';
  return session ? 'notification_failed' : 'no_user';
}

/** An outcome with no answers. */
export function emptyOutcome(status: ScriptCampaignOutcome['status'], extra: Partial<ScriptCampaignOutcome> = {}): ScriptCampaignOutcome {
  return { type: 'outcome', status, answers: {}, freeText: {}, ...extra };
}
