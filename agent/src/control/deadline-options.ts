/**
 * @module `--deadline`, `--max-postpones` and `--countdown` of `fixpoint campaign`. Zod-free, like the command itself.
 */
import { deadlineLimits, maxScriptCampaignTimeoutSec } from '@fixpoint/protocol/campaign-exit';

export interface DeadlineOptions {
  deadline?: string;
  maxPostpones?: number;
  countdownSec?: number;
}

const wholeNumber = (text: string) => (/^\d{1,9}$/.test(text) ? Number(text) : NaN);

/**
 * The deadline options as the control request carries them, or a message saying what is wrong. `--deadline` takes
 * seconds from `now` or an ISO 8601 time with a zone, at most a day ahead (the longest a script may wait).
 */
export function parseDeadlineOptions(values: { deadline?: string | undefined; 'max-postpones'?: string | undefined; countdown?: string | undefined }, now: number): DeadlineOptions | string {
  const out: DeadlineOptions = {};
  if (values.deadline !== undefined) {
    const seconds = wholeNumber(values.deadline);
    const zoned = /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)$/.test(values.deadline);
    const at = Number.isFinite(seconds) ? now + seconds * 1000 : zoned ? Date.parse(values.deadline) : NaN;
    if (!Number.isFinite(at)) return `--deadline takes seconds from now or a time such as 2026-01-31T18:00:00Z, got ${JSON.stringify(values.deadline)}`;
    if (at <= now || at > now + maxScriptCampaignTimeoutSec * 1000) return `--deadline must be in the future and at most ${maxScriptCampaignTimeoutSec} seconds ahead`;
    out.deadline = new Date(at).toISOString();
  }
  if (values['max-postpones'] !== undefined) {
    const n = wholeNumber(values['max-postpones']);
    if (!(n <= deadlineLimits.maxPostpones)) return `--max-postpones takes a whole number from 0 to ${deadlineLimits.maxPostpones}`;
    out.maxPostpones = n;
  }
  if (values.countdown !== undefined) {
    const n = wholeNumber(values.countdown);
    if (!(n >= deadlineLimits.minCountdownSec && n <= deadlineLimits.maxCountdownSec))
      return `--countdown takes whole seconds from ${deadlineLimits.minCountdownSec} to ${deadlineLimits.maxCountdownSec}`;
    out.countdownSec = n;
  }
  return out;
}
