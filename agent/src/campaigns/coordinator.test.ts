import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CampaignDefinition, type AgentMessage, type CampaignRequestPush, type TrayAnswer } from '@fixpoint/protocol';
import { CampaignCoordinator } from './coordinator';
import { campaignPush, coordinatorHarness } from '../testing/campaigns';

const definition = CampaignDefinition.parse({
  slug: 'disk-cleanup',
  name: 'Disk cleanup',
  allowDecline: true,
  allowPostpone: true,
  postponeDelaySec: 600,
  branding: { title: { en: 'IT' } },
  questions: [{ id: 'clean', type: 'single', text: { en: 'Clean up?' }, choices: [{ id: 'yes', label: { en: 'Yes' } }, { id: 'no', label: { en: 'No' } }] }],
  finalMessage: { en: 'Thanks' },
});

const push = (overrides: Partial<CampaignRequestPush> = {}) => campaignPush(definition, overrides);
const setup = coordinatorHarness;

const started = (sent: AgentMessage[]) => sent.find((m) => m.type === 'campaign_start') as Extract<AgentMessage, { type: 'campaign_start' }>;
const flush = () => vi.advanceTimersByTimeAsync(0);

describe('campaign coordinator', () => {
  beforeEach(() => void vi.useFakeTimers());
  afterEach(() => void vi.useRealTimers());

  it('starts a campaign for a script, shows it on the user’s tray and hands the answer back', async () => {
    const { coordinator, sent, toTrays } = setup();
    const wait = coordinator.startScriptCampaign({ campaign: 'disk-cleanup', parameters: { a: 'b' }, timeoutSec: 60, executionId: randomUUID() }, 'ana');
    const start = started(sent);
    expect(start).toMatchObject({ campaign: 'disk-cleanup', parameters: { a: 'b' }, timeoutSec: 60, user: 'ana' });
    const request = push();
    coordinator.handleServer({ type: 'campaign_started', localId: start.localId, request });
    await flush();
    expect(toTrays.find((m) => m.type === 'prompt')).toMatchObject({ request: { requestId: request.requestId, rendered: { name: 'Disk cleanup' } } });
    expect(toTrays).toContainEqual({ type: 'pending', count: 1 });
    coordinator.answer('ana', { type: 'answer', requestId: request.requestId, state: 'fully', answers: { clean: ['yes'] }, freeText: {}, respondedAt: new Date().toISOString() });
    expect(await wait.outcome).toEqual({ type: 'outcome', status: 'fully', answers: { clean: ['yes'] }, freeText: {}, requestId: request.requestId });
    expect(sent.at(-1)).toMatchObject({ type: 'campaign_response', requestId: request.requestId, state: 'fully', user: 'ana' });
    expect(toTrays).toContainEqual({ type: 'withdraw', requestId: request.requestId, reason: 'answered' });
  });

  it('ignores answers from another user and answers that do not fit the campaign', async () => {
    const { coordinator, sent } = setup();
    const request = push({ source: 'server' });
    coordinator.handleServer({ type: 'campaigns', requests: [request] });
    await flush();
    const answer: TrayAnswer = { type: 'answer', requestId: request.requestId, state: 'fully', answers: { clean: ['maybe'] }, freeText: {}, respondedAt: new Date().toISOString() };
    coordinator.answer('ana', answer);
    coordinator.answer('bob', { ...answer, answers: { clean: ['yes'] } });
    expect(sent.filter((m) => m.type === 'campaign_response')).toEqual([]);
  });

  it.each([
    ['timeout', { session: true, trays: 1 }],
    ['notification_failed', { session: true, trays: 0 }],
    ['no_user', { session: false, trays: 0 }],
  ] as const)('ends a wait at its timeout as %s', async (state, presence) => {
    const { coordinator, sent } = setup(presence);
    const wait = coordinator.startScriptCampaign({ campaign: 'disk-cleanup', parameters: {}, timeoutSec: 5 }, presence.session ? 'ana' : null);
    const request = push({ targetUser: presence.session ? 'ana' : null });
    coordinator.handleServer({ type: 'campaign_started', localId: started(sent).localId, request });
    await vi.advanceTimersByTimeAsync(5000);
    expect(await wait.outcome).toMatchObject({ status: state, requestId: request.requestId });
    expect(sent.at(-1)).toMatchObject({ type: 'campaign_response', requestId: request.requestId, state });
  });

  it('answers no_user at once when nobody is logged in, and tells the server', async () => {
    const { coordinator, sent } = setup({ session: false, trays: 0 });
    const wait = coordinator.startScriptCampaign({ campaign: 'disk-cleanup', parameters: {}, timeoutSec: 600 }, null);
    const request = push({ targetUser: null });
    coordinator.handleServer({ type: 'campaign_started', localId: started(sent).localId, request });
    let outcome: unknown = null;
    void wait.outcome.then((o) => (outcome = o));
    await flush(); // no time passes: the 600 s timeout plays no part
    expect(outcome).toMatchObject({ status: 'no_user', requestId: request.requestId });
    expect(sent.at(-1)).toMatchObject({ type: 'campaign_response', requestId: request.requestId, state: 'no_user' });
  });

  it('answers no_user at once for a user-run script whose user has no session', async () => {
    const { coordinator, sent } = setup({ session: false, trays: 0 });
    const wait = coordinator.startScriptCampaign({ campaign: 'disk-cleanup', parameters: {}, timeoutSec: 600 }, 'ana');
    coordinator.handleServer({ type: 'campaign_started', localId: started(sent).localId, request: push({ targetUser: 'ana' }) });
    let outcome: unknown = null;
    void wait.outcome.then((o) => (outcome = o));
    await flush();
    expect(outcome).toMatchObject({ status: 'no_user' });
  });

  it('keeps waiting for a logged-in user whose tray is not there yet', async () => {
    const { coordinator, sent } = setup({ session: true, trays: 0 });
    const wait = coordinator.startScriptCampaign({ campaign: 'disk-cleanup', parameters: {}, timeoutSec: 600 }, null);
    coordinator.handleServer({ type: 'campaign_started', localId: started(sent).localId, request: push({ targetUser: null }) });
    let outcome: unknown = null;
    void wait.outcome.then((o) => (outcome = o));
    await vi.advanceTimersByTimeAsync(599_000);
    expect(outcome).toBeNull();
    await vi.advanceTimersByTimeAsync(1000);
    expect(outcome).toMatchObject({ status: 'notification_failed' });
  });

  it('reports expired when the request expires first, and leaves the expiry to the server', async () => {
    const { coordinator, sent } = setup();
    const wait = coordinator.startScriptCampaign({ campaign: 'disk-cleanup', parameters: {}, timeoutSec: 600 }, 'ana');
    coordinator.handleServer({ type: 'campaign_started', localId: started(sent).localId, request: push({ expiresAt: new Date(Date.now() + 60_000).toISOString() }) });
    await vi.advanceTimersByTimeAsync(60_000);
    expect((await wait.outcome).status).toBe('expired');
    expect(sent.some((m) => m.type === 'campaign_response')).toBe(false);
  });

  it('passes a server refusal to the script, and gives up when the server never answers', async () => {
    const { coordinator, sent } = setup();
    const refused = coordinator.startScriptCampaign({ campaign: 'nope', parameters: {} }, 'ana');
    coordinator.handleServer({ type: 'campaign_failed', localId: started(sent).localId, code: 'not_found', message: 'campaign nope' });
    expect(await refused.outcome).toMatchObject({ status: 'error', message: 'not_found: campaign nope' });
    const unanswered = coordinator.startScriptCampaign({ campaign: 'x', parameters: {}, timeoutSec: 3 }, 'ana');
    await vi.advanceTimersByTimeAsync(3000);
    expect(await unanswered.outcome).toMatchObject({ status: 'error' });
  });

  it('at its timeout, leaves a request someone else asked for open: the script only stops reading it', async () => {
    const { coordinator, sent, toTrays } = setup();
    const request = push({ source: 'server', expiresAt: new Date(Date.now() + 7 * 86_400_000).toISOString() });
    coordinator.handleServer({ type: 'campaigns', requests: [request] });
    const first = coordinator.startScriptCampaign({ campaign: 'disk-cleanup', parameters: {}, timeoutSec: 10 }, 'ana');
    coordinator.handleServer({ type: 'campaign_started', localId: started(sent).localId, request, reused: true });
    await vi.advanceTimersByTimeAsync(10_000);
    expect(await first.outcome).toMatchObject({ status: 'timeout', requestId: request.requestId });
    expect(sent.some((m) => m.type === 'campaign_response')).toBe(false);
    expect(toTrays.some((m) => m.type === 'withdraw')).toBe(false);
    // a later script reading the same request gets the user's answer, and the admin's request is answered once
    sent.length = 0;
    const second = coordinator.startScriptCampaign({ campaign: 'disk-cleanup', parameters: {}, timeoutSec: 600 }, 'ana');
    coordinator.handleServer({ type: 'campaign_started', localId: started(sent).localId, request, reused: true });
    coordinator.answer('ana', { type: 'answer', requestId: request.requestId, state: 'declined', answers: {}, freeText: {}, respondedAt: new Date().toISOString() });
    expect(await second.outcome).toMatchObject({ status: 'declined', requestId: request.requestId });
    expect(sent.filter((m) => m.type === 'campaign_response')).toMatchObject([{ state: 'declined' }]);
  });

  it('closes a request the script created at its timeout, and tells every script reading it', async () => {
    const { coordinator, sent } = setup();
    const own = coordinator.startScriptCampaign({ campaign: 'disk-cleanup', parameters: {}, timeoutSec: 10 }, 'ana');
    const request = push();
    coordinator.handleServer({ type: 'campaign_started', localId: started(sent).localId, request, reused: false });
    sent.length = 0;
    const reader = coordinator.startScriptCampaign({ campaign: 'disk-cleanup', parameters: {}, timeoutSec: 600 }, 'ana');
    coordinator.handleServer({ type: 'campaign_started', localId: started(sent).localId, request, reused: true });
    await vi.advanceTimersByTimeAsync(10_000);
    expect(await own.outcome).toMatchObject({ status: 'timeout' });
    expect(await reader.outcome).toMatchObject({ status: 'timeout', requestId: request.requestId });
    expect(sent.filter((m) => m.type === 'campaign_response')).toMatchObject([{ requestId: request.requestId, state: 'timeout' }]);
  });

  it('--no-wait: answers with the request id once it exists, and the prompt stays with the user', async () => {
    const { coordinator, sent, toTrays } = setup();
    const wait = coordinator.startScriptCampaign({ campaign: 'disk-cleanup', parameters: {}, timeoutSec: 5, noWait: true }, 'ana');
    const request = push();
    coordinator.handleServer({ type: 'campaign_started', localId: started(sent).localId, request });
    expect(await wait.outcome).toEqual({ type: 'outcome', status: 'pending', answers: {}, freeText: {}, requestId: request.requestId });
    await vi.advanceTimersByTimeAsync(60_000);
    expect(toTrays.find((m) => m.type === 'prompt')).toMatchObject({ request: { requestId: request.requestId } });
    expect(toTrays.some((m) => m.type === 'withdraw')).toBe(false);
    coordinator.answer('ana', { type: 'answer', requestId: request.requestId, state: 'fully', answers: { clean: ['no'] }, freeText: {}, respondedAt: new Date().toISOString() });
    expect(sent.at(-1)).toMatchObject({ type: 'campaign_response', requestId: request.requestId, state: 'fully' });
  });

  it('--status: asks the server and hands back what it says, its refusal, or an error when it is unreachable', async () => {
    const { coordinator, sent } = setup();
    const requestId = randomUUID();
    const read = coordinator.readScriptCampaign(requestId);
    const ask = sent.at(-1) as Extract<AgentMessage, { type: 'campaign_status' }>;
    expect(ask).toMatchObject({ type: 'campaign_status', requestId });
    coordinator.handleServer({ type: 'campaign_state', localId: ask.localId, requestId, status: 'fully', answers: { clean: ['yes'] }, freeText: {} });
    expect(await read).toEqual({ type: 'outcome', status: 'fully', answers: { clean: ['yes'] }, freeText: {}, requestId });
    const other = coordinator.readScriptCampaign(randomUUID());
    coordinator.handleServer({ type: 'campaign_failed', localId: (sent.at(-1) as { localId: string }).localId, code: 'not_found', message: 'no such request on this device' });
    expect(await other).toMatchObject({ status: 'error', message: 'not_found: no such request on this device' });
    const silent = coordinator.readScriptCampaign(randomUUID());
    await vi.advanceTimersByTimeAsync(30_000);
    expect(await silent).toMatchObject({ status: 'error', message: expect.stringMatching(/did not answer/) });
    const offline = new CampaignCoordinator({ send: () => false, trays: { presence: () => ({ session: false, trays: 0 }), send: () => 0, refresh: async () => {}, users: [] }, consoleUser: async () => null });
    expect(await offline.readScriptCampaign(randomUUID())).toMatchObject({ status: 'error', message: expect.stringMatching(/not connected/) });
  });

  it('keeps responses until acked and sends them again after a reconnect; postponed requests stay held', async () => {
    const { coordinator, sent, toTrays } = setup();
    const request = push({ source: 'server' });
    coordinator.handleServer({ type: 'campaigns', requests: [request] });
    await flush();
    coordinator.answer('ana', { type: 'answer', requestId: request.requestId, state: 'postponed', answers: {}, freeText: {}, respondedAt: new Date().toISOString() });
    sent.length = 0;
    coordinator.ready();
    expect(sent).toEqual([expect.objectContaining({ type: 'campaign_response', state: 'postponed' })]);
    coordinator.handleServer({ type: 'campaign_ack', requestId: request.requestId });
    sent.length = 0;
    coordinator.ready();
    expect(sent).toEqual([]);
    // a tray that connects later gets it with the postpone time
    toTrays.length = 0;
    coordinator.traysChanged('ana');
    expect(toTrays[0]).toMatchObject({ type: 'prompt', request: { requestId: request.requestId, notBefore: expect.any(String) } });
    // the server no longer lists it (retired): the tray is told to drop it
    coordinator.handleServer({ type: 'campaigns', requests: [] });
    expect(toTrays).toContainEqual({ type: 'withdraw', requestId: request.requestId, reason: 'canceled' });
  });
});
