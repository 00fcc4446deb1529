/**
 * @module One agent's WebSocket: the challenge/hello handshake, frame checks, and the messages of an authenticated
 * agent handed to the hub in arrival order. Nothing an agent sends can throw out of here: a bad frame gets an
 * `error` reply (and, before authentication, the connection is closed).
 */
import type { RawData, WebSocket } from 'ws';
import {
  CHANNEL_MAX_MESSAGE_BYTES, MIN_PROTOCOL_VERSION, PROTOCOL_VERSION, parseAgentMessage,
  type AgentMessage, type ChannelError, type ChannelErrorCode, type ServerMessage,
} from '@fixpoint/protocol';
import type { AppContext } from '../context';
import { newNonce, verifyHello, type KeyLoader } from './auth';
import { FrameBudget } from './limits';

export type AgentMessageOf<T extends AgentMessage['type']> = Extract<AgentMessage, { type: T }>;

/** What a connection needs from the hub. */
export interface ConnectionHost {
  readonly ctx: AppContext;
  readonly keys: KeyLoader;
  /** The connection proved it is `conn.deviceId`. */
  admit(conn: AgentConnection, agentVersion: string): void;
  /** The agent asked for its pending work. */
  pull(conn: AgentConnection): void;
  progress(conn: AgentConnection, msg: AgentMessageOf<'status'>): Promise<void>;
  result(conn: AgentConnection, msg: AgentMessageOf<'result'>): Promise<void>;
  refused(conn: AgentConnection, msg: AgentMessageOf<'refused'>): Promise<void>;
  facts(conn: AgentConnection, msg: AgentMessageOf<'facts'>): Promise<void>;
  /** A script on the device asks for a campaign (`fixpoint campaign`). */
  campaignStart(conn: AgentConnection, msg: AgentMessageOf<'campaign_start'>): Promise<void>;
  campaignStatus(conn: AgentConnection, msg: AgentMessageOf<'campaign_status'>): Promise<void>;
  /** How a campaign request ended on the device. */
  campaignResponse(conn: AgentConnection, msg: AgentMessageOf<'campaign_response'>): Promise<void>;
  /** A user asks for help from the tray ("Get help"). */
  helpRequest(conn: AgentConnection, msg: AgentMessageOf<'help_request'>): Promise<void>;
  /** How an update ended on the device (refused, rolled back, updated). */
  updateStatus(conn: AgentConnection, msg: AgentMessageOf<'update_status'>): Promise<void>;
  /** A tray on the device lists or runs self-service fixes. */
  selfService(conn: AgentConnection, msg: AgentMessageOf<'self_service'>): Promise<void>;
  closed(conn: AgentConnection): void;
}

// Messages are handled one at a time per connection. Past this many waiting, the socket stops being read
// (TCP pushes back on the agent) until the backlog is down to `resumeBacklog`.
const pauseBacklog = 64;
const resumeBacklog = 16;
const OPEN = 1;

export class AgentConnection {
  /** Set once the hello is verified. */
  deviceId: string | null = null;
  /** The channel version the agent said it speaks; below 2 it gets envelopes signed one by one. */
  protocolVersion = PROTOCOL_VERSION;
  state: 'hello' | 'ready' | 'closed' = 'hello';
  /** True after the agent's `pull`: only then is work pushed to it. */
  pulled = false;
  readonly openedAt = Date.now();
  /** Last frame or ping from the agent (ms), for the silence check. */
  lastActivity = Date.now();
  /** When `last_seen` was last scheduled for this device (ms). */
  lastSeenAt = Date.now();
  /** Executions sent on this connection that have not finished: a later push skips them. */
  readonly sent = new Set<string>();
  /** The execution whose result is being stored right now (its own `canceled` event is not echoed as a cancel). */
  reporting: string | null = null;
  /** The challenge nonce: control frames signed for this connection name it, so they are refused on any other. */
  readonly nonce = newNonce();
  private chain: Promise<void> = Promise.resolve();
  private backlog = 0;
  /** Set once the connection was refused: frames still in flight are dropped unread. */
  private refusing = false;
  private readonly budget = new FrameBudget(this.lastActivity);

  constructor(
    private readonly ws: WebSocket,
    private readonly host: ConnectionHost,
  ) {
    ws.on('message', (data, isBinary) => this.receive(data, isBinary));
    ws.on('ping', () => (this.lastActivity = Date.now()));
    ws.on('pong', () => (this.lastActivity = Date.now()));
    ws.on('error', (error) => host.ctx.log.debug('channel: socket error', { deviceId: this.deviceId, error: String(error) }));
    ws.on('close', () => {
      if (this.state === 'closed') return;
      this.state = 'closed';
      host.closed(this);
    });
    this.send({ type: 'challenge', nonce: this.nonce });
  }

  /** Sends one message; false when the socket is no longer open. */
  send(message: ServerMessage): boolean {
    return this.sendFrame(JSON.stringify(message));
  }

  /** Sends a frame exactly as given (tests use it to send what the backend never would). */
  sendFrame(frame: string): boolean {
    if (this.ws.readyState !== OPEN) return false;
    this.ws.send(frame);
    return true;
  }

  /** Closes with a close frame (after anything already queued, such as an error); nothing more is read. */
  close(code: number, reason: string): void {
    this.refusing = true;
    if (this.ws.readyState === OPEN) this.ws.close(code, reason);
  }

  /** Messages received and not yet handled (admission control sums them over connections). */
  get waiting(): number {
    return this.backlog;
  }

  /** Bytes sent but not yet handed to the network. */
  get buffered(): number {
    return this.ws.bufferedAmount;
  }

  /** Resolves when every message received so far has been handled. */
  settled(): Promise<void> {
    return this.chain;
  }

  /** Drops the connection without a goodbye (a dead peer, a replaced connection). */
  terminate(): void {
    this.ws.terminate();
  }

  private log(level: 'debug' | 'info' | 'warn', msg: string, fields: Record<string, unknown> = {}): void {
    this.host.ctx.log[level](msg, { deviceId: this.deviceId, ...fields });
  }

  private fail(code: ChannelErrorCode, message: string): void {
    this.reject({ type: 'error', code, message });
  }

  /** Answers a bad frame; before authentication nothing else is worth hearing, so the connection closes. */
  private reject(error: ChannelError): void {
    this.log('debug', 'channel: rejected a frame', { code: error.code, error: error.message });
    this.send(error);
    if (this.state === 'hello') this.close(1008, error.code);
  }

  private receive(data: RawData, isBinary: boolean): void {
    const now = (this.lastActivity = Date.now());
    if (this.state === 'closed' || this.refusing) return;
    // Counted before anything else, so a flood costs no decoding and no database work.
    const budget = this.budget.take(now);
    if (budget !== 'ok') return this.limited(budget);
    if (isBinary) return this.fail('protocol_error', 'binary frames are not part of the protocol');
    const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data);
    // Checked before decoding: the protocol limit is in bytes, and decoding a huge frame is wasted work.
    if (bytes.length > CHANNEL_MAX_MESSAGE_BYTES)
      return this.fail('payload_too_large', `a message is limited to ${CHANNEL_MAX_MESSAGE_BYTES} bytes`);
    const parsed = parseAgentMessage(bytes.toString('utf8'));
    if (!parsed.ok) return this.reject(parsed.error);
    const msg = parsed.message;
    if (msg.type === 'error') {
      // Never answered: two peers replying to each other's errors would never stop.
      return this.log('warn', 'channel: the agent reported an error', { code: msg.code, error: msg.message });
    }
    if (++this.backlog > pauseBacklog && !this.ws.isPaused) this.ws.pause();
    this.chain = this.chain
      .then(() => (this.refusing ? undefined : this.state === 'hello' ? this.authenticate(msg) : this.state === 'ready' ? this.handle(msg) : undefined))
      .catch((error: unknown) => {
        this.log('warn', 'channel: handling a message failed', { type: msg.type, error: String(error) });
        this.send({ type: 'error', code: 'internal', message: 'the server could not handle this message' });
      })
      .finally(() => {
        if (--this.backlog <= resumeBacklog && this.ws.isPaused) this.ws.resume();
      });
  }

  private limited(budget: 'limited' | 'drop' | 'close'): void {
    if (budget === 'drop') return;
    this.log('warn', budget === 'close' ? 'channel: closed a flooding connection' : 'channel: a connection is sending too fast');
    this.send({ type: 'error', code: 'rate_limited', message: 'too many messages: frames are dropped until the rate comes down' });
    if (budget === 'close') this.close(1008, 'rate_limited');
  }

  private async authenticate(msg: AgentMessage): Promise<void> {
    if (msg.type !== 'hello') return this.fail('protocol_error', `expected hello, got ${msg.type}`);
    if (msg.protocolVersion < MIN_PROTOCOL_VERSION || msg.protocolVersion > PROTOCOL_VERSION) {
      this.send({ type: 'error', code: 'unsupported_version', message: `this server speaks protocol versions ${MIN_PROTOCOL_VERSION} to ${PROTOCOL_VERSION}` });
      return this.close(1008, 'unsupported_version');
    }
    let key;
    try {
      key = await this.host.keys.load(msg.deviceId);
    } catch (error) {
      this.log('warn', 'channel: device key look-up failed', { error: String(error) });
      this.send({ type: 'error', code: 'internal', message: 'authentication is unavailable, try again later' });
      return this.close(1011, 'internal');
    }
    if (this.state !== 'hello') return;
    if (!key || !verifyHello(key, msg.deviceId, this.nonce, msg.signature)) {
      this.log('info', 'channel: authentication failed', { claimed: msg.deviceId, known: key !== null });
      // One message for both cases: whether a device id exists is nobody's business.
      this.send({ type: 'error', code: 'unauthenticated', message: 'unknown device or bad signature' });
      return this.close(1008, 'unauthenticated');
    }
    this.deviceId = msg.deviceId;
    this.protocolVersion = msg.protocolVersion;
    this.state = 'ready';
    this.send({ type: 'welcome', serverTime: this.host.ctx.now().toISOString() });
    this.host.admit(this, msg.agentVersion);
  }

  private async handle(msg: AgentMessage): Promise<void> {
    switch (msg.type) {
      case 'hello':
        return this.fail('protocol_error', 'already authenticated');
      case 'pull':
        this.pulled = true;
        return this.host.pull(this);
      case 'status':
        return this.host.progress(this, msg);
      case 'result':
        return this.host.result(this, msg);
      case 'refused':
        return this.host.refused(this, msg);
      case 'facts':
        return this.host.facts(this, msg);
      case 'campaign_start':
        return this.host.campaignStart(this, msg);
      case 'campaign_status':
        return this.host.campaignStatus(this, msg);
      case 'campaign_response':
        return this.host.campaignResponse(this, msg);
      case 'update_status':
        return this.host.updateStatus(this, msg);
      case 'self_service':
        return this.host.selfService(this, msg);
      case 'help_request':
        return this.host.helpRequest(this, msg);
    }
  }
}
