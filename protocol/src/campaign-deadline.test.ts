import { describe, expect, it } from 'vitest';
import { CampaignDefinition, campaignExitCodes, neutralOutcomeOf, PromptDeadline, ScriptCampaignRequest } from './index';

const base = {
  slug: 'restart',
  name: 'Restart',
  allowPostpone: true,
  branding: { title: { en: 'IT' } },
  questions: [{ id: 'now', type: 'info', text: { en: 'Restart now?' } }],
  finalMessage: { en: 'Restarting' },
};
const problems = (extra: object) => {
  const r = CampaignDefinition.safeParse({ ...base, ...extra });
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

describe('campaign deadlines', () => {
  it('accepts a deadline with a postpone limit and a countdown', () => {
    expect(problems({ deadlineSec: 3600, maxPostpones: 3, countdownSec: 300 })).toEqual([]);
    expect(CampaignDefinition.parse(base).deadlineSec).toBeUndefined();
  });

  it('refuses a deadline after the expiry, and a limit or countdown without a deadline', () => {
    expect(problems({ deadlineSec: 7200, expirySec: 3600 })).toEqual(['deadlineSec: the deadline must come before the request expires (deadlineSec ≤ expirySec)']);
    expect(problems({ maxPostpones: 2 })).toEqual(['maxPostpones: maxPostpones and countdownSec need a deadline (deadlineSec)']);
    expect(problems({ deadlineSec: 3600, countdownSec: 5 })[0]).toMatch(/^countdownSec/);
    expect(problems({ deadlineSec: 3600, maxPostpones: 101 })[0]).toMatch(/^maxPostpones/);
  });

  it('gives deadline_reached the next exit code, which is no neutral outcome: the script goes ahead', () => {
    expect(campaignExitCodes.deadline_reached).toBe(18);
    expect(new Set(Object.values(campaignExitCodes)).size).toBe(Object.keys(campaignExitCodes).length);
    expect(neutralOutcomeOf({ status: 'failed', exitCode: 18 })).toBeNull();
  });

  it('carries the deadline to the tray and the script overrides to the agent', () => {
    expect(PromptDeadline.safeParse({ at: '2026-03-02T09:00:00.000Z', countdownSec: 60, postponesLeft: null }).success).toBe(true);
    expect(PromptDeadline.safeParse({ at: '2026-03-02T09:00:00.000Z', countdownSec: 60, postponesLeft: -1 }).success).toBe(false);
    const token = 'a'.repeat(43);
    expect(ScriptCampaignRequest.parse({ type: 'campaign', token, campaign: 'restart', deadline: '2026-03-02T09:00:00.000Z', maxPostpones: 0 })).toMatchObject({ maxPostpones: 0 });
    expect(ScriptCampaignRequest.safeParse({ type: 'campaign', token, campaign: 'restart', countdownSec: 1 }).success).toBe(false);
  });
});
