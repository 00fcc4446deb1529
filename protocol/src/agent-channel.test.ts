import { describe, expect, it } from 'vitest';
import { CHANNEL_MAX_MESSAGE_BYTES, agentAuthMessage, parseAgentMessage, parseServerMessage } from './agent-channel';

const id = '0b7f6c1e-2f9a-4d55-8a0e-1f2b3c4d5e6f';
const at = '2025-01-01T00:00:00.000Z';

describe('agent channel messages', () => {
  it('parses every agent message kind', () => {
    const frames = [
      { type: 'hello', deviceId: id, signature: 'AAAA', agentVersion: '1.0.0', protocolVersion: 1 },
      { type: 'pull' },
      { type: 'status', executionId: id, status: 'running', at },
      {
        type: 'result', executionId: id, status: 'failed', exitCode: null, error: 'x', reason: 'agent_restarted',
        stdoutTail: '', stderrTail: '', outputs: {}, truncated: false, at,
      },
      { type: 'refused', executionId: id, reason: 'replayed', message: 'seen before' },
      { type: 'facts', facts: { hostname: 'h' } },
      { type: 'error', code: 'protocol_error', message: 'bad' },
    ];
    for (const f of frames) expect(parseAgentMessage(JSON.stringify(f))).toMatchObject({ ok: true, message: f });
  });

  it('parses server messages and rejects unknown fields and types', () => {
    expect(parseServerMessage(JSON.stringify({ type: 'challenge', nonce: 'abcdefghijklmnopqrstuvwxyz' })).ok).toBe(true);
    expect(parseServerMessage(JSON.stringify({ type: 'ack', executionId: id })).ok).toBe(true);
    expect(parseServerMessage(JSON.stringify({ type: 'ack', executionId: id, extra: 1 }))).toMatchObject({
      ok: false,
      error: { type: 'error', code: 'protocol_error' },
    });
    expect(parseServerMessage(JSON.stringify({ type: 'launch' })).ok).toBe(false);
    expect(parseServerMessage(JSON.stringify({ type: 'challenge', nonce: 'short' })).ok).toBe(false);
  });

  it('turns malformed and oversized frames into errors instead of throwing', () => {
    for (const frame of ['', '{', 'null', '[]', '"x"', '{"type":1}', '{"__proto__":{"type":"pull"}}'])
      expect(parseAgentMessage(frame)).toMatchObject({ ok: false, error: { code: 'protocol_error' } });
    const big = JSON.stringify({ type: 'facts', facts: { x: 'é'.repeat(CHANNEL_MAX_MESSAGE_BYTES / 2) } });
    expect(parseAgentMessage(big)).toMatchObject({ ok: false, error: { code: 'payload_too_large' } });
  });

  it('names the signed challenge bytes', () => {
    expect(agentAuthMessage(id, 'n')).toBe(`fixpoint-agent-auth:v1:${id}:n`);
  });
});
