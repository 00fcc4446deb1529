/**
 * @module The agent's check of signed control frames (`protocol/src/control-frames.ts`): a frame is acted on only
 * when the pinned server key signed it, for this device, on the connection it arrived on, before its expiry, and
 * with a sequence number above the last one taken on that connection. The signature check is the one envelopes use.
 */
import { controlSignedPart, type ServerControl } from '@fixpoint/protocol';
import { checkServerSignature, type ServerKey } from '../exec/verify';

export interface ControlGateOptions extends ServerKey {
  deviceId: string;
  now: () => Date;
}

export type ControlVerdict = { ok: true } | { ok: false; message: string };

export class ControlGate {
  /** The connection the last accepted frame came on, and its sequence number. */
  private connection: string | null = null;
  private lastSeq = 0;

  constructor(private readonly options: ControlGateOptions) {}

  /**
   * Checks one control frame. `json` is the frame as decoded (the signature covers it); `connection` is the challenge
   * nonce of the connection it arrived on. Accepting a frame raises the connection's sequence number.
   */
  check(msg: ServerControl, json: unknown, connection: string): ControlVerdict {
    const refuse = (message: string): ControlVerdict => ({ ok: false, message: `${msg.type} refused: ${message}` });
    if (typeof json !== 'object' || json === null) return refuse('not an object');
    const problem = checkServerSignature(controlSignedPart(json), msg.keyId, msg.signature, this.options, 'frame');
    if (problem) return refuse(problem.message);
    const { deviceId, connection: boundTo, seq, expiresAt } = msg.binding;
    if (deviceId !== this.options.deviceId) return refuse(`addressed to device ${deviceId}`);
    if (boundTo !== connection) return refuse('signed for another connection');
    if (Date.parse(expiresAt) <= this.options.now().getTime()) return refuse(`expired at ${expiresAt}`);
    if (this.connection !== connection) {
      this.connection = connection;
      this.lastSeq = 0;
    }
    if (seq <= this.lastSeq) return refuse(`sequence ${seq} is not above ${this.lastSeq} (a replay)`);
    this.lastSeq = seq;
    return { ok: true };
  }
}
