import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AgentMessage, TrayHelpResult } from '@fixpoint/protocol';
import { HelpRelay } from './relay';

const localId = '0f0f0f0f-0000-4000-8000-000000000001';
const help = { type: 'help' as const, localId, subject: 'VPN', description: 'drops', screenshot: { mediaType: 'image/jpeg' as const, data: '/9j/' } };

describe('help relay', () => {
  beforeEach(() => void vi.useFakeTimers());
  afterEach(() => void vi.useRealTimers());

  it('sends the request in the authenticated user’s name and hands the ack to the tray that asked', () => {
    const sent: AgentMessage[] = [];
    const relay = new HelpRelay({ send: (m) => (sent.push(m), true) });
    const replies: TrayHelpResult[] = [];
    relay.request('ana', help, (r) => replies.push(r));
    expect(sent).toEqual([{ type: 'help_request', localId, subject: 'VPN', description: 'drops', screenshot: help.screenshot, user: 'ana' }]);
    relay.request('ana', help, (r) => replies.push(r));
    expect(replies).toEqual([{ type: 'help_result', localId, error: { code: 'conflict', message: 'this help request is already on its way' } }]);
    relay.handleAck({ type: 'help_ack', localId, id: '11111111-1111-4111-8111-111111111111' });
    relay.handleAck({ type: 'help_ack', localId, id: '22222222-2222-4222-8222-222222222222' });
    expect(replies.at(-1)).toEqual({ type: 'help_result', localId, id: '11111111-1111-4111-8111-111111111111' });
    expect(replies).toHaveLength(2);
  });

  it('answers at once while the channel is down, and with an error when the server stays silent', () => {
    const replies: TrayHelpResult[] = [];
    new HelpRelay({ send: () => false }).request('ana', help, (r) => replies.push(r));
    expect(replies[0]).toMatchObject({ error: { code: 'unavailable' } });
    const relay = new HelpRelay({ send: () => true, timeoutMs: 1000 });
    relay.request('ana', help, (r) => replies.push(r));
    vi.advanceTimersByTime(1000);
    expect(replies[1]).toMatchObject({ error: { message: 'the server did not answer in time; try again later' } });
  });
});
