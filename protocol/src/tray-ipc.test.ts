import { describe, expect, it } from 'vitest';
import { campaignExitCodes, lineSplitter, parseAgentToTrayMessage, parseScriptCampaignRequest, parseTrayMessage, TRAY_IPC_MAX_LINE_BYTES } from './tray-ipc';
import { parseAgentMessage, parseServerMessage } from './agent-channel-parse';

const id = '0b7f6c1e-2f9a-4d55-8a0e-1f2b3c4d5e6f';
const token = 'A'.repeat(43);

describe('tray IPC messages', () => {
  it('parses the tray and script messages', () => {
    expect(parseTrayMessage(JSON.stringify({ type: 'hello', token, user: 'ana', pid: 42, language: 'fr', version: '1' })).ok).toBe(true);
    const answer = parseTrayMessage(JSON.stringify({ type: 'answer', requestId: id, state: 'fully', answers: { q: ['yes'] }, respondedAt: '2025-01-01T00:00:00.000Z' }));
    expect(answer).toMatchObject({ ok: true, message: { freeText: {} } });
    expect(parseAgentToTrayMessage(JSON.stringify({ type: 'pending', count: 2 })).ok).toBe(true);
    expect(parseScriptCampaignRequest(JSON.stringify({ type: 'campaign', token, campaign: 'x', timeoutSec: 30 }))).toMatchObject({ ok: true, message: { parameters: {} } });
  });

  it('answers malformed, hostile and oversized lines with an error, never a throw', () => {
    const bad = [
      '{',
      '[]',
      'null',
      JSON.stringify({ type: 'hello', token: 'short', user: 'ana', pid: 1, version: '1' }),
      JSON.stringify({ type: 'hello', token, user: 'ana', pid: -1, version: '1' }),
      JSON.stringify({ type: 'answer', requestId: "1' OR 1=1", state: 'fully', respondedAt: 'now' }),
      JSON.stringify({ type: 'answer', requestId: id, state: 'expired', respondedAt: '2025-01-01T00:00:00.000Z' }),
      JSON.stringify({ type: 'shown', requestId: id, extra: true }),
      JSON.stringify({ type: '__proto__' }),
    ];
    for (const line of bad) expect(parseTrayMessage(line)).toMatchObject({ ok: false, error: { type: 'error', code: 'protocol_error' } });
    expect(parseScriptCampaignRequest(JSON.stringify({ type: 'campaign', token, campaign: 'x', timeoutSec: 10 ** 9 })).ok).toBe(false);
    expect(parseTrayMessage('x'.repeat(TRAY_IPC_MAX_LINE_BYTES + 1))).toMatchObject({ ok: false, error: { code: 'payload_too_large' } });
  });

  it('splits lines across chunks and cuts an endless line once', () => {
    const lines: string[] = [];
    let overflows = 0;
    const push = lineSplitter((l) => lines.push(l), () => overflows++, 10);
    push('ab');
    push('c\r\nde\n\n');
    push('0123456789ABC');
    push('more');
    push('\nok\n');
    expect(lines).toEqual(['abc', 'de', 'ok']);
    expect(overflows).toBe(1);
  });

  it('gives every outcome its own exit code, 0 only for a full answer', () => {
    const codes = Object.values(campaignExitCodes);
    expect(new Set(codes).size).toBe(codes.length);
    expect(Object.entries(campaignExitCodes).filter(([, c]) => c === 0)).toEqual([['fully', 0]]);
  });

  it('carries campaign messages on the agent channel', () => {
    expect(parseAgentMessage(JSON.stringify({ type: 'campaign_start', localId: id, campaign: 'x', user: null })).ok).toBe(true);
    expect(parseAgentMessage(JSON.stringify({ type: 'campaign_response', requestId: id, state: 'no_user', user: null, at: '2025-01-01T00:00:00.000Z' })).ok).toBe(true);
    // server frames that make the agent act carry their seal (control-frames.ts); without it they are refused
    const seal = { binding: { deviceId: id, connection: 'a'.repeat(32), seq: 1, expiresAt: '2025-01-01T00:00:00.000Z' }, keyId: 'k', signature: 'AAAA' };
    expect(parseServerMessage(JSON.stringify({ type: 'campaign_ack', requestId: id, ...seal })).ok).toBe(true);
    expect(parseServerMessage(JSON.stringify({ type: 'campaign_ack', requestId: id })).ok).toBe(false);
    expect(parseServerMessage(JSON.stringify({ type: 'campaigns', requests: [{ requestId: id }], ...seal })).ok).toBe(false);
  });
});
