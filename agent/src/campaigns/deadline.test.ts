import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CampaignDefinition, type AgentMessage, type AgentToTrayMessage, type CampaignRequestPush } from '@fixpoint/protocol';
import { campaignPush, coordinatorHarness } from '../testing/campaigns';
import { deadlineOf, postponedUntil } from './deadline';

const definition = CampaignDefinition.parse({
  slug: 'restart',
  name: 'Restart',
  allowPostpone: true,
  postponeDelaySec: 600,
  maxPostpones: 2,
  deadlineSec: 3600,
  countdownSec: 120,
  branding: { title: { en: 'IT' } },
  questions: [{ id: 'now', type: 'info', text: { en: 'Restart now?' } }],
  finalMessage: { en: 'Restarting' },
});

const push = (overrides: Partial<CampaignRequestPush> = {}) =>
  campaignPush(definition, { expiresAt: new Date(Date.now() + 7200_000).toISOString(), ...overrides });
const setup = () => coordinatorHarness();
const prompts = (toTrays: AgentToTrayMessage[]) => toTrays.flatMap((m) => (m.type === 'prompt' ? [m.request] : []));
const postpone = (requestId: string) => ({ type: 'answer' as const, requestId, state: 'postponed' as const, answers: {}, freeText: {}, respondedAt: new Date().toISOString() });

describe('deadlines', () => {
  beforeEach(() => void vi.useFakeTimers({ now: Date.parse('2026-03-02T09:00:00Z') }));
  afterEach(() => void vi.useRealTimers());

  it('falls deadlineSec after the trigger unless the script sets its own', () => {
    const p = push({ createdAt: '2026-03-02T08:00:00.000Z' });
    expect(deadlineOf(p)).toEqual({ at: Date.parse('2026-03-02T09:00:00Z'), countdownSec: 120, maxPostpones: 2 });
    expect(deadlineOf(p, { deadline: '2026-03-02T10:00:00.000Z', maxPostpones: 0 })).toEqual({ at: Date.parse('2026-03-02T10:00:00Z'), countdownSec: 120, maxPostpones: 0 });
    expect(deadlineOf({ ...p, definition: { ...definition, deadlineSec: undefined } })).toBeNull();
  });

  it('brings a postponed prompt back by the start of the countdown at the latest', () => {
    const d = { at: 10_000_000, countdownSec: 120, maxPostpones: null };
    expect(postponedUntil(d, 0, 600)).toBe(600_000);
    expect(postponedUntil(d, 9_500_000, 600)).toBe(10_000_000 - 120_000);
    expect(postponedUntil(d, 9_990_000, 600)).toBe(9_990_000);
    expect(postponedUntil(null, 5, 1)).toBe(1005);
  });

  it('keeps the script waiting through postpones, counts them down and ends with deadline_reached', async () => {
    const { coordinator, sent, toTrays } = setup();
    const wait = coordinator.startScriptCampaign({ campaign: 'restart', parameters: {}, executionId: randomUUID() }, 'ana');
    const start = sent.find((m) => m.type === 'campaign_start') as Extract<AgentMessage, { type: 'campaign_start' }>;
    const request = push();
    coordinator.handleServer({ type: 'campaign_started', localId: start.localId, request });
    await vi.advanceTimersByTimeAsync(0);
    expect(prompts(toTrays).at(-1)!.deadline).toEqual({ at: '2026-03-02T10:00:00.000Z', countdownSec: 120, postponesLeft: 2 });

    let settled = false;
    void wait.outcome.then(() => (settled = true));
    coordinator.answer('ana', postpone(request.requestId));
    await vi.advanceTimersByTimeAsync(0);
    expect(settled).toBe(false);
    expect(prompts(toTrays).at(-1)).toMatchObject({ notBefore: '2026-03-02T09:10:00.000Z', deadline: { postponesLeft: 1 } });
    coordinator.answer('ana', postpone(request.requestId));
    expect(prompts(toTrays).at(-1)!.deadline!.postponesLeft).toBe(0);
    // a third postpone is past the limit: neither counted nor reported
    coordinator.answer('ana', postpone(request.requestId));
    expect(sent.filter((m) => m.type === 'campaign_response' && m.state === 'postponed')).toHaveLength(2);

    // the hour's default wait is stretched to the deadline
    await vi.advanceTimersByTimeAsync(3600_000);
    expect(await wait.outcome).toEqual({ type: 'outcome', status: 'deadline_reached', answers: {}, freeText: {}, requestId: request.requestId });
    expect(sent.at(-1)).toMatchObject({ type: 'campaign_response', requestId: request.requestId, state: 'deadline_reached', user: 'ana' });
    expect(toTrays).toContainEqual({ type: 'withdraw', requestId: request.requestId, reason: 'deadline_reached' });
  });

  it('takes the script’s --deadline and --max-postpones for a request it created, and an answer before the deadline wins', async () => {
    const { coordinator, sent, toTrays } = setup();
    const deadline = new Date(Date.now() + 90_000).toISOString();
    const wait = coordinator.startScriptCampaign({ campaign: 'restart', parameters: {}, deadline, maxPostpones: 0, countdownSec: 60 }, 'ana');
    const start = sent.find((m) => m.type === 'campaign_start') as Extract<AgentMessage, { type: 'campaign_start' }>;
    expect(start.timeoutSec).toBe(3600);
    const request = push({ definition: { ...definition, deadlineSec: undefined, maxPostpones: undefined, countdownSec: undefined } });
    coordinator.handleServer({ type: 'campaign_started', localId: start.localId, request });
    await vi.advanceTimersByTimeAsync(0);
    expect(prompts(toTrays).at(-1)!.deadline).toEqual({ at: deadline, countdownSec: 60, postponesLeft: 0 });
    coordinator.answer('ana', { ...postpone(request.requestId), state: 'fully' });
    expect((await wait.outcome).status).toBe('fully');
    await vi.advanceTimersByTimeAsync(120_000);
    expect(sent.filter((m) => m.type === 'campaign_response').map((m) => (m as { state: string }).state)).toEqual(['fully']);
  });
});
