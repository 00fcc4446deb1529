import { describe, expect, it } from 'vitest';
import { CHANNEL_MAX_MESSAGE_BYTES, agentAuthMessage } from './agent-channel';
import { parseAgentMessage, parseServerMessage } from './agent-channel-parse';
import { controlFrameTypes, controlSigningText } from './control-frames';

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
    const seal = { binding: { deviceId: id, connection: 'a'.repeat(32), seq: 1, expiresAt: at }, keyId: 'k', signature: 'AAAA' };
    expect(parseServerMessage(JSON.stringify({ type: 'ack', executionId: id, ...seal })).ok).toBe(true);
    // control frames without their seal are not server messages at all
    for (const type of controlFrameTypes) expect(parseServerMessage(JSON.stringify({ type, executionId: id })).ok).toBe(false);
    expect(parseServerMessage(JSON.stringify({ type: 'ack', executionId: id, ...seal, binding: { ...seal.binding, seq: 0 } })).ok).toBe(false);
    expect(parseServerMessage(JSON.stringify({ type: 'ack', executionId: id, ...seal, extra: 1 }))).toMatchObject({
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

  it('signs a control frame over its canonical JSON without the signature', () => {
    const frame = { type: 'cancel', executionId: id, keyId: 'k', binding: { seq: 2, deviceId: id }, signature: 'AAAA' };
    expect(controlSigningText(frame)).toBe(`{"binding":{"deviceId":"${id}","seq":2},"executionId":"${id}","keyId":"k","type":"cancel"}`);
  });

  it('names the signed challenge bytes', () => {
    expect(agentAuthMessage(id, 'n')).toBe(`fixpoint-agent-auth:v1:${id}:n`);
  });
});
