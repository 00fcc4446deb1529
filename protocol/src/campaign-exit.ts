/**
 * @module What `fixpoint campaign` exits with, per outcome. Free of zod on purpose: the small command the agent
 * writes into every run directory imports only this file.
 */

/**
 * Exit codes of `fixpoint campaign`: 0 only when the user answered the whole campaign. `error` covers everything
 * that kept the campaign from starting (unknown or unpublished campaign, bad parameters, agent unreachable);
 * `usage` a malformed command line. `pending` and `canceled` come from `--status` (still waiting for its user; withdrawn
 * by an admin or a retired campaign); `--no-wait` exits 0 once the request exists. `deadline_reached`: the request's
 * deadline came before an answer (postpones included), so the script goes ahead with what it asked consent for.
 */
export const campaignExitCodes = {
  fully: 0,
  usage: 2,
  error: 3,
  declined: 10,
  postponed: 11,
  timeout: 12,
  expired: 13,
  no_user: 14,
  notification_failed: 15,
  pending: 16,
  canceled: 17,
  deadline_reached: 18,
} as const;

export type CampaignExitStatus = keyof typeof campaignExitCodes;

/** Bounds of a deadline's postpone limit and countdown (`--max-postpones`, `--countdown`, and the campaign fields). */
export const deadlineLimits = { maxPostpones: 100, minCountdownSec: 10, maxCountdownSec: 3600, defaultCountdownSec: 300 } as const;

/** Longest `--timeout` a script may ask for: one day. */
export const maxScriptCampaignTimeoutSec = 24 * 3600;

/**
 * Self-help outcomes that are nobody's failure: the user declined or postponed, did not answer in time, or nobody was
 * logged in. A self-help run signals one by exiting with the code `fixpoint campaign` returned for it.
 */
export const neutralOutcomes = ['declined', 'postponed', 'timeout', 'no_user'] as const;
export type NeutralOutcome = (typeof neutralOutcomes)[number];

/** Exit code → neutral outcome: `expired` (the request ran out before an answer) counts as `timeout`. */
export const neutralExitCodes: Readonly<Record<number, NeutralOutcome>> = {
  [campaignExitCodes.declined]: 'declined',
  [campaignExitCodes.postponed]: 'postponed',
  [campaignExitCodes.timeout]: 'timeout',
  [campaignExitCodes.expired]: 'timeout',
  [campaignExitCodes.no_user]: 'no_user',
};

/**
 * The neutral outcome of a finished self-help run, or null when it succeeded or failed for real. Only `failed` runs
 * with one of `neutralExitCodes` are neutral; the execution's own status stays what it was.
 */
export function neutralOutcomeOf(run: { status: string; exitCode: number | null }): NeutralOutcome | null {
  return run.status === 'failed' && run.exitCode !== null ? (neutralExitCodes[run.exitCode] ?? null) : null;
}
