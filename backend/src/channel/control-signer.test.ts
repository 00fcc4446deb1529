import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { controlSigningText, parseServerMessage, type ServerControl } from '@fixpoint/protocol';
import { createLogger } from '@fixpoint/protocol/log';
import { signingKeyFrom } from '../keys';
import type { AgentConnection } from './connection';
import { ControlSigner } from './control-signer';

/** What the signer uses of a connection, recording the frames it is sent. */
function connection(state: AgentConnection['state'] = 'ready') {
  const frames: string[] = [];
  const conn = { state, deviceId: randomUUID(), nonce: randomBytes(24).toString('base64url'), sendFrame: (f: string) => frames.push(f) > 0 };
  return { conn: conn as unknown as AgentConnection, frames, deviceId: conn.deviceId, nonce: conn.nonce };
}

describe('control frame signer', () => {
  it('signs a fan-out in one batch, sealed per device and connection, in order', async () => {
    const signingKey = signingKeyFrom(generateKeyPairSync('ed25519').privateKey);
    const signMany = vi.spyOn(signingKey, 'signMany');
    const signer = new ControlSigner({ signingKey, now: () => new Date(), log: createLogger('silent') });
    const conns = Array.from({ length: 600 }, () => connection());
    const closed = connection('closed');
    const executionId = randomUUID();
    for (const c of conns) signer.send(c.conn, { type: 'cancel', executionId });
    signer.send(conns[0]!.conn, { type: 'ack', executionId });
    signer.send(closed.conn, { type: 'cancel', executionId });
    await signer.settled();

    // one call for the whole turn, large enough to share the work with the signing worker
    expect(signMany).toHaveBeenCalledTimes(1);
    expect(signMany.mock.calls[0]![0]).toHaveLength(601);
    expect(closed.frames).toEqual([]);
    for (const c of conns) {
      const messages = c.frames.map((f) => {
        const parsed = parseServerMessage(f);
        if (!parsed.ok) throw new Error(parsed.error.message);
        const msg = parsed.message as ServerControl;
        expect(signingKey.verify(controlSigningText(parsed.json as object), msg.signature)).toBe(true);
        return msg;
      });
      expect(messages[0]).toMatchObject({ type: 'cancel', executionId, keyId: signingKey.keyId, binding: { deviceId: c.deviceId, connection: c.nonce, seq: 1 } });
      expect(Date.parse(messages[0]!.binding.expiresAt)).toBeGreaterThan(Date.now());
    }
    expect(conns[0]!.frames.map((f) => JSON.parse(f).binding.seq)).toEqual([1, 2]);
  });
});
