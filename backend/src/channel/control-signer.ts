/**
 * @module Seals control frames (cancel, ack, campaign frames) for the connection they go out on: binds each to the
 * device, the connection's challenge nonce, a per-connection sequence number and an expiry, then signs it with the
 * envelope key. Frames asked for in the same turn of the event loop are signed together (`signCanonical`, which
 * shares a large batch with the signing worker), so a fan-out of cancels or campaign lists costs one batch, not a
 * signature on the hot path of each caller. Batches go out in the order they were asked for.
 */
import { controlFrameTtlMs, type ControlBody, type ServerControl } from '@fixpoint/protocol';
import type { AppContext } from '../context';
import { signCanonical } from '../keys';
import type { AgentConnection } from './connection';

type Unsigned = Omit<ServerControl, 'signature'>;

export class ControlSigner {
  private queue: { conn: AgentConnection; frame: Unsigned }[] = [];
  private readonly seqs = new WeakMap<AgentConnection, number>();
  private running: Promise<void> | null = null;

  constructor(private readonly ctx: Pick<AppContext, 'signingKey' | 'now' | 'log'>) {}

  /** Seals `body` for `conn` and sends it once signed; dropped when the connection is not authenticated (any more). */
  send(conn: AgentConnection, body: ControlBody): void {
    if (conn.state !== 'ready' || !conn.deviceId) return;
    const seq = (this.seqs.get(conn) ?? 0) + 1;
    this.seqs.set(conn, seq);
    const expiresAt = new Date(this.ctx.now().getTime() + controlFrameTtlMs).toISOString();
    const binding = { deviceId: conn.deviceId, connection: conn.nonce, seq, expiresAt };
    this.queue.push({ conn, frame: { ...body, binding, keyId: this.ctx.signingKey.keyId } as Unsigned });
    this.running ??= new Promise<void>((resolve) => setImmediate(resolve)).then(() => this.drain());
  }

  /** Resolves when every frame asked for so far has been sent (or dropped). */
  async settled(): Promise<void> {
    while (this.running) await this.running;
  }

  private async drain(): Promise<void> {
    try {
      while (this.queue.length) {
        const batch = this.queue;
        this.queue = [];
        let signatures: string[];
        try {
          signatures = await signCanonical(this.ctx.signingKey, batch.map((b) => b.frame));
        } catch (error) {
          // Nothing is lost for good: unacked results, pending campaigns and cancels are sent again after a reconnect.
          this.ctx.log.error('channel: signing control frames failed', { frames: batch.length, error: String(error) });
          continue;
        }
        batch.forEach(({ conn, frame }, i) => conn.sendFrame(JSON.stringify({ ...frame, signature: signatures[i] })));
      }
    } finally {
      this.running = null;
    }
  }
}
