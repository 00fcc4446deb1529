/**
 * @module The hub: every agent connection of this process, and the dispatcher that pushes work to them.
 *
 * `notify(deviceIds, work)` (called after a launch commits) first sends the launched envelopes straight to the devices
 * connected here that can take them in order (pulled, no push round pending, everything earlier already sent), with no
 * query. The other devices connected here join a push round (`push-queue.ts`): one pending-work query for all of them,
 * then what each connection has not been sent yet, in `seq` order. The ids also go to the other instances over
 * LISTEN/NOTIFY, which run push rounds for the devices they hold.
 * A canceled execution becomes a `cancel` to the device wherever the cancel happened (execution events are
 * fanned out too). Every frame that makes the agent act, other than `execute` (signed at launch), is sealed for its
 * connection by the `ControlSigner`, which signs what a turn asks for in one batch. Liveness is checked by one sweep
 * over all connections, not a timer per connection.
 */
import type { WebSocket } from 'ws';
import { Id, isTerminal, type ControlBody, type Envelope, type ExecutionEvent, type ServerMessage } from '@fixpoint/protocol';
import type { Cluster } from '../cluster';
import type { AppContext, Dispatcher, QueuedWork } from '../context';
import { pendingForDevices, signEnvelope } from '../services/executions';
import { recordUpdateReport } from '../services/releases';
import { createKeyLoader, type KeyLoader } from './auth';
import { AgentConnection, type AgentMessageOf, type ConnectionHost } from './connection';
import type { PresenceTracker } from './presence';
import { createReports, type Reports } from './reports';
import { CampaignChannel } from './campaigns';
import { relayHelpRequest } from './help';
import { ControlSigner } from './control-signer';
import { startMissedWorkSweep } from './missed-work';
import { PushQueue } from './push-queue';
import { answerSelfService } from './self-service';
import { agentTooOldError, fieldsTooNewForVersion1 } from './versions';

export interface HubTimings {
  /** Time allowed between connecting and a verified hello (default 15 s). */
  authTimeoutMs?: number;
  /** A connection with no frame and no ping for this long is dropped (default 90 s: three missed agent pings). */
  silenceMs?: number;
  /** How often connections are checked (default 5 s). */
  sweepMs?: number;
  /** `last_seen` is refreshed at most this often per connected device (default 60 s). */
  seenEveryMs?: number;
  /**
   * Bytes of frames allowed to wait in socket buffers while work is pushed (default 64 MiB). A fan-out of a large
   * script to thousands of devices would otherwise hold every copy in memory at once.
   */
  sendBufferBytes?: number;
  /** How often the devices connected here are checked for queued work that never reached them (default 30 s; `missed-work.ts`). */
  missedWorkMs?: number;
}

export interface HubOptions extends HubTimings {
  cluster: Cluster;
  presence: PresenceTracker;
}

/** Devices per pending-work query. */
const loadChunk = 5000;

export class Hub implements Dispatcher, ConnectionHost {
  readonly keys: KeyLoader;
  private readonly byDevice = new Map<string, AgentConnection>();
  private readonly all = new Set<AgentConnection>();
  private readonly reports: Reports;
  private readonly control: ControlSigner;
  /** Campaign requests to and from the agents connected here; installed as `ctx.campaignDispatcher`. */
  readonly campaigns: CampaignChannel;
  private readonly timings: Required<HubTimings>;
  private readonly unsubscribe: (() => void)[] = [];
  private readonly sweeper: NodeJS.Timeout;
  private readonly pushes = new PushQueue((ids) => this.push(ids));
  /** Devices whose push round failed (the pending-work look-up did): offered again at the next sweep. */
  private readonly failed = new Set<string>();
  private stopping = false;
  private backlogAt = 0;
  private backlogCount = 0;
  /** Bytes pushed since socket buffers were last looked at. */
  private unchecked = 0;

  constructor(
    readonly ctx: AppContext,
    private readonly options: HubOptions,
  ) {
    this.keys = createKeyLoader(ctx);
    this.control = new ControlSigner(ctx);
    this.reports = createReports(ctx, { sendTo: (deviceId, body) => void this.sendControl(deviceId, body) });
    this.campaigns = new CampaignChannel(
      ctx,
      {
        sendTo: (deviceId, body) => this.sendControl(deviceId, body),
        pulled: (deviceId) => !!this.byDevice.get(deviceId)?.pulled,
        connected: () => [...this.byDevice.keys()],
      },
      options.cluster,
    );
    this.timings = {
      authTimeoutMs: options.authTimeoutMs ?? 15_000,
      silenceMs: options.silenceMs ?? 90_000,
      sweepMs: options.sweepMs ?? 5000,
      seenEveryMs: options.seenEveryMs ?? 60_000,
      sendBufferBytes: options.sendBufferBytes ?? 64 * 1024 * 1024,
      missedWorkMs: options.missedWorkMs ?? 30_000,
    };
    this.unsubscribe.push(
      ctx.events.subscribe((event) => this.handleEvent(event)),
      options.cluster.subscribe('dispatch', (items) => this.deliverHere(items.filter((i): i is string => Id.safeParse(i).success))),
      // Dispatch notifications may have been missed while the listening connection was down: re-offer everything.
      options.cluster.onResync(() => this.deliverHere([...this.byDevice.keys()])),
    );
    this.sweeper = setInterval(() => this.sweep(), this.timings.sweepMs);
    this.sweeper.unref();
    this.unsubscribe.push(
      startMissedWorkSweep(
        { ctx, connections: () => this.byDevice, pushing: (id) => this.pushes.has(id), redeliver: (ids) => this.deliverHere(ids) },
        this.timings.missedWorkMs,
      ),
    );
  }

  /** Takes a freshly upgraded socket: sends the challenge and waits for the hello. */
  open(ws: WebSocket): AgentConnection | null {
    // Stopping: the agent is better off reconnecting to another instance (or to this one after its restart).
    if (this.stopping) {
      ws.close(1001, 'server stopping');
      return null;
    }
    const conn = new AgentConnection(ws, this);
    this.all.add(conn);
    return conn;
  }

  // ── Dispatcher ──────────────────────────────────────────────────────────────

  notify(deviceIds: readonly string[], work: readonly QueuedWork[] = []): void {
    const sent = this.sendLaunched(work);
    this.deliverHere(sent.size ? deviceIds.filter((id) => !sent.has(id)) : deviceIds);
    this.options.cluster.publish('dispatch', deviceIds);
  }

  isOnline(deviceId: string): boolean {
    return this.byDevice.has(deviceId);
  }

  /** Agent messages received here and not yet handled; summed at most every 100 ms, as launches ask on every call. */
  backlog(): number {
    const now = Date.now();
    if (now - this.backlogAt >= 100) {
      this.backlogAt = now;
      this.backlogCount = 0;
      for (const conn of this.all) this.backlogCount += conn.waiting;
    }
    return this.backlogCount;
  }

  /** Authenticated connections of this process. */
  get size(): number {
    return this.byDevice.size;
  }

  /** The authenticated connection of a device, if it is connected here. */
  connection(deviceId: string): AgentConnection | undefined {
    return this.byDevice.get(deviceId);
  }

  // ── low-level sends (also what tests use to send what the backend never would) ──

  /** Sends a message to a device connected here; false when it is not. */
  send(deviceId: string, message: ServerMessage): boolean {
    return this.byDevice.get(deviceId)?.send(message) ?? false;
  }

  /** Signs a control frame for the device's connection here and sends it; false when the device is not connected here. */
  sendControl(deviceId: string, body: ControlBody): boolean {
    const conn = this.byDevice.get(deviceId);
    if (!conn) return false;
    this.control.send(conn, body);
    return true;
  }

  /** Sends a raw frame to a device connected here; false when it is not. */
  sendRaw(deviceId: string, frame: string): boolean {
    return this.byDevice.get(deviceId)?.sendFrame(frame) ?? false;
  }

  // ── ConnectionHost ─────────────────────────────────────────────────────────

  admit(conn: AgentConnection, agentVersion: string): void {
    const deviceId = conn.deviceId!;
    const prior = this.byDevice.get(deviceId);
    // The newest connection wins: the old one is a half-dead socket or a copy of the device's key.
    if (prior && prior !== conn) {
      this.ctx.log.info('channel: a new connection replaces the previous one', { deviceId });
      prior.terminate();
    }
    this.byDevice.set(deviceId, conn);
    conn.lastSeenAt = Date.now();
    this.options.presence.up(deviceId, agentVersion);
  }

  pull(conn: AgentConnection): void {
    this.deliverHere([conn.deviceId!]);
    this.campaigns.deliverHere([conn.deviceId!]);
  }

  updateStatus(conn: AgentConnection, msg: AgentMessageOf<'update_status'>): Promise<void> {
    return recordUpdateReport(this.ctx, conn.deviceId!, msg);
  }

  /** Devices whose channel this process holds. */
  connectedDevices(): string[] {
    return [...this.byDevice.keys()];
  }

  async campaignStart(conn: AgentConnection, msg: AgentMessageOf<'campaign_start'>): Promise<void> {
    this.control.send(conn, await this.campaigns.start(conn.deviceId!, msg));
  }

  async selfService(conn: AgentConnection, msg: AgentMessageOf<'self_service'>): Promise<void> {
    this.control.send(conn, await answerSelfService(this.ctx, conn.deviceId!, msg));
  }

  async campaignStatus(conn: AgentConnection, msg: AgentMessageOf<'campaign_status'>): Promise<void> {
    this.control.send(conn, await this.campaigns.status(conn.deviceId!, msg));
  }

  async helpRequest(conn: AgentConnection, msg: AgentMessageOf<'help_request'>): Promise<void> {
    this.control.send(conn, await relayHelpRequest(this.ctx, conn.deviceId!, msg));
  }

  async campaignResponse(conn: AgentConnection, msg: AgentMessageOf<'campaign_response'>): Promise<void> {
    const ack = await this.campaigns.respond(conn.deviceId!, msg);
    if (ack) this.control.send(conn, ack);
  }

  progress(conn: AgentConnection, msg: AgentMessageOf<'status'>): Promise<void> {
    return this.reports.progress(conn, msg);
  }

  async result(conn: AgentConnection, msg: AgentMessageOf<'result'>): Promise<void> {
    conn.reporting = msg.executionId;
    try {
      await this.reports.result(conn, msg);
    } finally {
      conn.reporting = null;
    }
  }

  refused(conn: AgentConnection, msg: AgentMessageOf<'refused'>): Promise<void> {
    return this.reports.refused(conn, msg);
  }

  facts(conn: AgentConnection, msg: AgentMessageOf<'facts'>): Promise<void> {
    return this.reports.facts(conn, msg);
  }

  closed(conn: AgentConnection): void {
    this.all.delete(conn);
    const deviceId = conn.deviceId;
    if (deviceId && this.byDevice.get(deviceId) === conn) {
      this.byDevice.delete(deviceId);
      this.options.presence.down(deviceId);
    }
  }

  // ── delivery ────────────────────────────────────────────────────────────────

  /** Queues the devices connected here (and past their pull) for a push; all queued in one turn share one query. */
  private deliverHere(deviceIds: readonly string[]): void {
    this.pushes.add(deviceIds.filter((id) => this.byDevice.get(id)?.pulled));
  }

  /**
   * Sends launched work straight to the devices connected here, skipping the pending-work look-up, where that keeps
   * each device's order: the connection has pulled, no push round holds the device, and everything the device had
   * unfinished before this work was already sent on this connection. Answers the devices that got all of theirs; the
   * rest go through a push round. Stops at a quarter of the send budget, leaving the rest to rounds, which wait for room.
   */
  private sendLaunched(work: readonly QueuedWork[]): Set<string> {
    const sent = new Set<string>();
    const left = new Set<string>();
    for (const item of work) {
      const conn = this.byDevice.get(item.deviceId);
      if (!conn?.pulled || left.has(item.deviceId) || this.pushes.has(item.deviceId) || this.unchecked >= this.timings.sendBufferBytes / 4 || item.before.some((id) => !conn.sent.has(id))) {
        left.add(item.deviceId);
        continue;
      }
      sent.add(item.deviceId);
      if (conn.sent.has(item.executionId)) continue;
      conn.sent.add(item.executionId);
      this.unchecked += this.sendEnvelope(conn, item.envelope, item.frame);
    }
    for (const id of left) sent.delete(id);
    return sent;
  }

  /**
   * Sends an envelope and returns the bytes queued. An envelope an agent on channel version 1 would refuse as malformed
   * (its strict schema lacks `whenNoUser` and `notBefore`) is not sent: the execution fails at once, as a result would.
   * `prebuilt` is the launch's own frame of the envelope, sent as it is where the connection needs no other.
   */
  private sendEnvelope(conn: AgentConnection, envelope: Envelope, prebuilt?: string): number {
    const tooNew = conn.protocolVersion < 2 ? fieldsTooNewForVersion1(envelope) : [];
    if (tooNew.length) {
      this.reports.unsendable(conn, envelope.payload.executionId, agentTooOldError(conn.protocolVersion, tooNew)).catch((error: unknown) =>
        this.ctx.log.error('channel: failing an envelope the agent cannot read failed', { deviceId: conn.deviceId, error: String(error) }),
      );
      return 0;
    }
    const frame = this.executeFrame(conn, envelope, prebuilt);
    conn.sendFrame(frame);
    return frame.length;
  }

  /**
   * The `execute` frame of an envelope. An agent on channel version 1 gets a proof envelope signed on its own; one
   * below version 3, whose schema knows no `origin`, gets the payload without it, signed on its own too.
   */
  private executeFrame(conn: AgentConnection, envelope: Envelope, prebuilt?: string): string {
    let sent = envelope;
    if (conn.protocolVersion < 3 && envelope.payload.origin) {
      const { origin: _origin, ...payload } = envelope.payload;
      sent = { ...envelope, payload, proof: undefined, signature: signEnvelope(this.ctx, payload) };
    } else if (envelope.proof && conn.protocolVersion < 2) sent = { ...envelope, proof: undefined, signature: signEnvelope(this.ctx, envelope.payload) };
    else if (prebuilt) return prebuilt;
    return JSON.stringify({ type: 'execute', envelope: sent } satisfies ServerMessage);
  }

  /** Pushes pending work to the queued devices; devices queued meanwhile wait for the next round. */
  private async push(ids: readonly string[]): Promise<void> {
    for (let i = 0; i < ids.length; i += loadChunk) {
      const part = ids.slice(i, i + loadChunk);
      let pending;
      try {
        pending = await pendingForDevices(this.ctx, part);
      } catch (error) {
        // The work stays queued in the database, but these agents will not ask again while connected: retry at the
        // next sweep (and the missed-work check catches whatever still slips through).
        this.ctx.log.error('channel: loading pending work failed; retrying', { devices: part.length, error: String(error) });
        for (const id of part) this.failed.add(id);
        continue;
      }
      for (const [deviceId, list] of pending) {
        const conn = this.byDevice.get(deviceId);
        if (!conn?.pulled) continue;
        for (const item of list) {
          if (conn.sent.has(item.executionId)) continue;
          conn.sent.add(item.executionId);
          this.unchecked += this.sendEnvelope(conn, item.envelope);
          if (this.unchecked >= this.timings.sendBufferBytes / 4) await this.waitForRoom();
        }
      }
    }
  }

  /**
   * Waits until the frames queued on all sockets fit the budget again (agents read them), at most 10 s, so one
   * agent that stopped reading cannot hold everyone's work. Messages keep flowing meanwhile; only pushes wait.
   */
  private async waitForRoom(): Promise<void> {
    this.unchecked = 0;
    const deadline = Date.now() + 10_000;
    while (!this.stopping && Date.now() < deadline) {
      let queued = 0;
      for (const conn of this.byDevice.values()) queued += conn.buffered;
      if (queued < this.timings.sendBufferBytes) return;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  private handleEvent(event: ExecutionEvent): void {
    if (!isTerminal(event.status)) return;
    const conn = this.byDevice.get(event.deviceId);
    if (!conn) return;
    conn.sent.delete(event.id);
    // Sent even if this connection never carried it: the agent may hold it from an earlier connection.
    if (event.status === 'canceled' && conn.reporting !== event.id) this.control.send(conn, { type: 'cancel', executionId: event.id });
  }

  private sweep(): void {
    if (this.failed.size) {
      const retry = [...this.failed];
      this.failed.clear();
      this.deliverHere(retry);
    }
    const now = Date.now();
    const { authTimeoutMs, silenceMs, seenEveryMs } = this.timings;
    for (const conn of this.all) {
      if (conn.state === 'hello' && now - conn.openedAt > authTimeoutMs) conn.terminate();
      else if (now - conn.lastActivity > silenceMs) {
        this.ctx.log.info('channel: dropped a silent connection', { deviceId: conn.deviceId });
        conn.terminate();
      } else if (conn.state === 'ready' && now - conn.lastSeenAt >= seenEveryMs && conn.lastActivity > conn.lastSeenAt) {
        conn.lastSeenAt = now;
        this.options.presence.seen(conn.deviceId!);
      }
    }
  }

  /** Closes every connection (agents reconnect elsewhere or later) and waits for their messages in hand. */
  async stop(): Promise<void> {
    this.stopping = true;
    clearInterval(this.sweeper);
    for (const stop of this.unsubscribe) stop();
    this.campaigns.stop();
    const conns = [...this.all];
    for (const conn of conns) conn.close(1001, 'server stopping');
    const deadline = Date.now() + 1000;
    while (this.all.size && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    for (const conn of this.all) conn.terminate();
    await Promise.all([this.pushes.settled(), ...conns.map((c) => c.settled())]);
    await this.control.settled();
  }
}
