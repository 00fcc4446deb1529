/**
 * @module The agent's end of the channel: connects, answers the challenge, then hands messages to the agent.
 * Reconnects forever with jittered backoff; pings to notice dead connections. Nothing is polled while idle.
 */
import type { KeyObject } from 'node:crypto';
import WebSocket from 'ws';
import {
  CHANNEL_MAX_MESSAGE_BYTES,
  PROTOCOL_VERSION,
  parseServerMessage,
  type AgentMessage,
  type ChannelErrorCode,
  type ServerMessage,
} from '@fixpoint/protocol';
import { describeError, log } from '../log';
import { signChallenge } from '../state/identity';
import type { ConnectionState } from '../state/status-file';
import { Backoff, type BackoffOptions } from './backoff';

/** One connection's handshake: whether the hello went out, and the challenge it answered. */
interface Conn {
  helloSent: boolean;
  nonce: string;
}

export type ServerWork = Exclude<ServerMessage, { type: 'challenge' | 'welcome' | 'error' }>;

export interface ChannelHandlers {
  /** Authenticated: send facts and unacked results, then pull. `serverTime` comes from the welcome. */
  onReady(serverTime: string | undefined): void;
  /**
   * `json` is the frame as decoded, before schema defaults (signatures are checked over it); `connection` is the
   * challenge nonce of the connection it came on (control frames are signed for one connection).
   */
  onMessage(message: ServerWork, json: unknown, connection: string): void;
  onState?(state: ConnectionState, error: string | null): void;
}

export interface ChannelClientOptions {
  url: string;
  deviceId: string;
  deviceKey: KeyObject;
  agentVersion: string;
  handlers: ChannelHandlers;
  backoff?: BackoffOptions;
  /** Ping interval; a connection silent for two intervals is dropped. Default 30 s. */
  keepaliveMs?: number;
  /** Time allowed for connect + challenge + welcome. Default 15 s. */
  authTimeoutMs?: number;
}

export class ChannelClient {
  private ws: WebSocket | null = null;
  private authenticated = false;
  private stopped = true;
  private retryTimer: NodeJS.Timeout | null = null;
  private readonly backoff: Backoff;

  constructor(private readonly options: ChannelClientOptions) {
    this.backoff = new Backoff(options.backoff);
  }

  /** True once the server has welcomed this connection. */
  get ready(): boolean {
    return this.authenticated && this.ws?.readyState === WebSocket.OPEN;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.connect();
  }

  /** Closes the connection and stops reconnecting. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    const ws = this.ws;
    if (!ws || ws.readyState === WebSocket.CLOSED) return;
    await new Promise<void>((resolve) => {
      ws.once('close', () => resolve());
      ws.close(1001, 'agent stopping');
      setTimeout(() => ws.terminate(), 2000).unref();
    });
  }

  /** Sends one message if the channel is authenticated; returns false otherwise (callers keep what must survive). */
  send(message: AgentMessage): boolean {
    if (!this.ready) return false;
    const frame = JSON.stringify(message);
    if (Buffer.byteLength(frame) > CHANNEL_MAX_MESSAGE_BYTES) {
      log.error('channel: outgoing message too large, not sent', { type: message.type });
      return false;
    }
    this.ws!.send(frame);
    return true;
  }

  private setState(state: ConnectionState, error: string | null = null): void {
    this.options.handlers.onState?.(state, error);
  }

  private connect(): void {
    this.retryTimer = null;
    if (this.stopped) return;
    this.setState('connecting');
    const ws = new WebSocket(this.options.url, {
      // A hard ceiling on memory; frames between the protocol limit and this get a payload_too_large reply.
      maxPayload: CHANNEL_MAX_MESSAGE_BYTES * 2,
      handshakeTimeout: this.options.authTimeoutMs ?? 15_000,
      perMessageDeflate: false,
    });
    this.ws = ws;
    this.authenticated = false;
    let lastError: string | null = null;
    let alive = true;
    const conn: Conn = { helloSent: false, nonce: '' };
    const authTimer = setTimeout(() => {
      lastError = 'authentication timed out';
      ws.terminate();
    }, this.options.authTimeoutMs ?? 15_000);
    const keepaliveMs = this.options.keepaliveMs ?? 30_000;
    const pinger = setInterval(() => {
      if (!alive) {
        lastError = 'no answer to keepalive ping';
        ws.terminate();
        return;
      }
      alive = false;
      if (ws.readyState === WebSocket.OPEN) ws.ping();
    }, keepaliveMs);

    ws.on('open', () => this.setState('authenticating'));
    ws.on('pong', () => (alive = true));
    ws.on('ping', () => (alive = true));
    ws.on('message', (data, isBinary) => {
      alive = true;
      try {
        if (isBinary) return this.reply('protocol_error', 'binary frames are not part of the protocol');
        const frame = Array.isArray(data) ? Buffer.concat(data).toString('utf8') : data.toString('utf8');
        this.handleFrame(ws, conn, frame, (serverTime) => {
          clearTimeout(authTimer);
          this.authenticated = true;
          this.backoff.connected();
          this.setState('connected');
          this.options.handlers.onReady(serverTime);
        }, (why) => (lastError = why));
      } catch (err) {
        // A handler bug must not take the connection (or the process) down.
        log.error('channel: message handler failed', { error: describeError(err) });
      }
    });
    ws.on('unexpected-response', (_req, res) => {
      lastError = `server answered HTTP ${res.statusCode}`;
      ws.terminate();
    });
    ws.on('error', (err) => (lastError = describeError(err)));
    ws.on('close', (code) => {
      clearTimeout(authTimer);
      clearInterval(pinger);
      this.authenticated = false;
      if (this.ws === ws) this.ws = null;
      if (this.stopped) return this.setState('stopped');
      const delay = this.backoff.next();
      const error = lastError ?? `connection closed (${code})`;
      log.info('channel: disconnected', { error, retryInMs: delay });
      this.setState('disconnected', error);
      this.retryTimer = setTimeout(() => this.connect(), delay);
    });
  }

  private reply(code: ChannelErrorCode, message: string): void {
    if (this.ws?.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify({ type: 'error', code, message }));
  }

  private handleFrame(ws: WebSocket, conn: Conn, frame: string, onWelcome: (serverTime: string | undefined) => void, onFatal: (why: string) => void): void {
    const parsed = parseServerMessage(frame);
    if (!parsed.ok) {
      log.warn('channel: rejected a server message', { code: parsed.error.code, error: parsed.error.message });
      return this.reply(parsed.error.code, parsed.error.message);
    }
    const msg = parsed.message;
    if (msg.type === 'error') {
      log.warn('channel: server reported an error', { code: msg.code, error: msg.message });
      if (!this.authenticated) {
        onFatal(`${msg.code}: ${msg.message}`);
        ws.close(1008, msg.code);
      }
      return;
    }
    if (!this.authenticated) {
      if (msg.type === 'challenge' && !conn.helloSent) {
        conn.helloSent = true;
        conn.nonce = msg.nonce;
        const { deviceId, deviceKey, agentVersion } = this.options;
        const signature = signChallenge(deviceId, deviceKey, msg.nonce);
        ws.send(JSON.stringify({ type: 'hello', deviceId, signature, agentVersion, protocolVersion: PROTOCOL_VERSION }));
        return;
      }
      if (msg.type === 'welcome' && conn.helloSent) return onWelcome(msg.serverTime);
      return this.reply('protocol_error', `unexpected ${msg.type} during authentication`);
    }
    if (msg.type === 'challenge' || msg.type === 'welcome') return this.reply('protocol_error', `unexpected ${msg.type}`);
    this.options.handlers.onMessage(msg, parsed.json, conn.nonce);
  }
}
