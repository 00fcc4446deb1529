/**
 * @module A campaign request's deadline on the device: when it falls (the campaign's `deadlineSec` after the trigger,
 * or the script's `--deadline`), how many postpones are left, and when a postponed prompt comes back: never later
 * than the start of the countdown, so the user sees the countdown before the deadline.
 */
import { campaignLimits, type CampaignRequestPush, type PromptDeadline } from '@fixpoint/protocol';

export interface Deadline {
  /** Epoch ms. */
  at: number;
  countdownSec: number;
  /** Unset: no limit. */
  maxPostpones: number | null;
}

/** What a script's `fixpoint campaign` may set instead of the campaign's own values. */
export interface DeadlineOverrides {
  deadline?: string | undefined;
  maxPostpones?: number | undefined;
  countdownSec?: number | undefined;
}

/** The request's deadline, or null when neither the campaign nor the script set one. */
export function deadlineOf(push: Pick<CampaignRequestPush, 'definition' | 'createdAt'>, overrides: DeadlineOverrides = {}): Deadline | null {
  const { definition } = push;
  const at = overrides.deadline
    ? Date.parse(overrides.deadline)
    : definition.deadlineSec !== undefined
      ? Date.parse(push.createdAt) + definition.deadlineSec * 1000
      : NaN;
  if (!Number.isFinite(at)) return null;
  return {
    at,
    countdownSec: overrides.countdownSec ?? definition.countdownSec ?? campaignLimits.defaultCountdownSec,
    maxPostpones: overrides.maxPostpones ?? definition.maxPostpones ?? null,
  };
}

/** Postpones the user may still take. */
export function postponesLeft(deadline: Deadline, postpones: number): number | null {
  return deadline.maxPostpones === null ? null : Math.max(0, deadline.maxPostpones - postpones);
}

/** What the tray gets about the deadline. */
export function promptDeadline(deadline: Deadline, postpones: number): PromptDeadline {
  return { at: new Date(deadline.at).toISOString(), countdownSec: deadline.countdownSec, postponesLeft: postponesLeft(deadline, postpones) };
}

/** When a prompt postponed at `now` comes back: after the delay, but no later than the start of the countdown. */
export function postponedUntil(deadline: Deadline | null, now: number, delaySec: number): number {
  const after = now + delaySec * 1000;
  return deadline ? Math.max(now, Math.min(after, deadline.at - deadline.countdownSec * 1000)) : after;
}
