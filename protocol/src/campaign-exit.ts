/**
 * @module What `fixpoint campaign` exits with, per outcome. Free of zod on purpose: the small command the agent
 * writes into every run directory imports only this file.
 */

/**
 * Exit codes of `fixpoint campaign`: 0 only when the user answered the whole campaign. `error` covers everything
 * that kept the campaign from starting (unknown or unpublished campaign, bad parameters, agent unreachable);
 * `usage` a malformed command line. `pending` and `canceled` come from `--status` (still waiting for its user; withdrawn
 * by an admin or a retired campaign); `--no-wait` exits 0 once the request exists.
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
} as const;

export type CampaignExitStatus = keyof typeof campaignExitCodes;

/** Longest `--timeout` a script may ask for: one day. */
export const maxScriptCampaignTimeoutSec = 24 * 3600;
