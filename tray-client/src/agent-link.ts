/**
 * @module The tray's connection to the agent: hello with the user's secret, then prompts in, answers out. On Windows
 * (`AgentEndpoint.sealed`) the agent challenges first and neither side sends the secret: each proves it
 * (`@fixpoint/protocol/tray-crypto`), and a welcome without the agent's proof ends the connection, prompts unread. After the welcome
 * every line either way is sealed (same module), and one that is not the next sealed with the connection's key ends it.
 * Reconnects with jittered backoff (the agent restarts, sessions come and go) and reads the secret afresh each time,
 * because the agent renews it at every start.
 */
import { readFile } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import { userInfo } from 'node:os';
import {
  lineSplitter,
  parseAgentToTrayMessage,
  parseSealedLine,
  TRAY_IPC_MAX_LINE_BYTES,
  TRAY_IPC_MAX_SEALED_LINE_BYTES,
  type AgentToTrayMessage,
  type TrayMessage,
} from '@fixpoint/protocol';
import { helloProof, lineSeal, newNonce, sealKey } from '@fixpoint/protocol/tray-crypto';
import { socketFor, type AgentEndpoint } from './socket-path';
import { log } from './log';

export interface AgentLinkOptions {
  endpoint: () => Promise<AgentEndpoint>;
  version: string;
  language?: string | undefined;
  onMessage(message: Exclude<AgentToTrayMessage, { type: 'challenge' | 'welcome' | 'error' }>): void;
  onState?(connected: boolean): void;
  /** Backoff bounds (default 500 ms … 15 s). */
  minDelayMs?: number;
  maxDelayMs?: number;
}

export class AgentLink {
  private socket: Socket | null = null;
  private ready = false;
  private stopped = false;
  private attempt = 0;
  private timer: NodeJS.Timeout | null = null;
  /** The current connection's secret and nonces, on Windows. */
  private sealed: { token: string; trayNonce: string; agentNonce: string | null } | null = null;
  /** The current connection's seal, from the agent's proven welcome on (Windows). */
  private seal: ReturnType<typeof lineSeal> | null = null;
  /** Set when the current connection is being closed over a bad line: the lines still buffered are not read. */
  private dropped = false;
  private onChallenge: (nonce: string) => void = () => {};

  constructor(private readonly options: AgentLinkOptions) {}

  get connected(): boolean {
    return this.ready;
  }

  start(): void {
    void this.connect();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.socket?.destroy();
  }

  /** Sends when connected; false otherwise (the agent re-sends pending prompts after a reconnect). */
  send(message: TrayMessage): boolean {
    if (!this.ready || !this.socket) return false;
    const line = JSON.stringify(message);
    this.socket.write(`${this.seal ? this.seal.seal(line) : line}\n`);
    return true;
  }

  private retry(): void {
    if (this.stopped || this.timer) return;
    const min = this.options.minDelayMs ?? 500;
    const cap = Math.min(this.options.maxDelayMs ?? 15_000, min * 2 ** this.attempt++);
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.connect();
    }, min + Math.random() * (cap - min));
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    let endpoint: AgentEndpoint;
    let token: string;
    try {
      endpoint = await this.options.endpoint();
      token = (await readFile(endpoint.token, 'utf8')).trim();
    } catch (err) {
      log.debug('agent link: not available yet', { error: String(err) });
      return this.retry();
    }
    const socket = connect(socketFor(endpoint, token));
    this.socket = socket;
    socket.setEncoding('utf8');
    const push = lineSplitter(
      (line) => this.handleLine(line),
      () => socket.destroy(),
      endpoint.sealed ? TRAY_IPC_MAX_SEALED_LINE_BYTES : TRAY_IPC_MAX_LINE_BYTES,
    );
    const hello = (secret: { token: string } | { nonce: string; proof: string }) => {
      const message: TrayMessage = { type: 'hello', ...secret, user: userInfo().username, pid: process.pid, version: this.options.version };
      if (this.options.language) message.language = this.options.language;
      socket.write(`${JSON.stringify(message)}\n`);
    };
    const sealed = endpoint.sealed ? { token, trayNonce: newNonce(), agentNonce: null as string | null } : null;
    this.sealed = sealed;
    this.seal = null;
    this.dropped = false;
    socket.on('connect', () => {
      if (!sealed) hello({ token });
    });
    // the agent speaks first on Windows: its nonce, which the proof binds to
    this.onChallenge = (nonce) => {
      if (!sealed || sealed.agentNonce) return void socket.destroy();
      sealed.agentNonce = nonce;
      hello({ nonce: sealed.trayNonce, proof: helloProof(token, 'tray', nonce, sealed.trayNonce) });
    };
    socket.on('data', (chunk: string) => push(chunk));
    socket.on('error', (err) => log.debug('agent link: socket error', { error: err.message }));
    socket.on('close', () => {
      if (this.socket === socket) this.socket = null;
      if (this.ready) this.options.onState?.(false);
      this.ready = false;
      this.retry();
    });
  }

  /** Ends the connection over a line the agent cannot have sent: whoever relays the pipe changed or made it up. */
  private drop(why: string): void {
    log.warn('agent link: closed the connection', { why });
    this.dropped = true;
    this.socket?.destroy();
  }

  private handleLine(sent: string): void {
    if (this.dropped) return;
    let line = sent;
    if (this.seal) {
      const envelope = parseSealedLine(sent);
      if (!envelope.ok) return this.drop(`a line after the welcome is not sealed: ${envelope.error.message}`);
      const opened = this.seal.open(envelope.message.seq, envelope.message.box);
      if (!opened.ok) return this.drop(opened.why);
      line = opened.line;
    }
    const parsed = parseAgentToTrayMessage(line);
    if (!parsed.ok) {
      log.warn('agent link: unreadable message', { error: parsed.error.message });
      this.send({ ...parsed.error });
      return;
    }
    const msg = parsed.message;
    if (msg.type === 'challenge') return this.onChallenge(msg.nonce);
    if (msg.type === 'welcome' && this.sealed && !this.seal) {
      const { token, agentNonce, trayNonce } = this.sealed;
      if (!agentNonce || msg.proof !== helloProof(token, 'agent', agentNonce, trayNonce)) {
        log.warn('agent link: the pipe’s server could not prove the secret; not the agent');
        this.dropped = true;
        this.socket?.destroy();
        return;
      }
      // the welcome is the last plain line
      this.seal = lineSeal(sealKey(token, agentNonce, trayNonce), 'tray');
    }
    if (!this.ready && msg.type !== 'welcome' && msg.type !== 'error') return;
    if (msg.type === 'welcome') {
      this.ready = true;
      this.attempt = 0;
      log.info('agent link: connected', { agentVersion: msg.agentVersion });
      this.options.onState?.(true);
      return;
    }
    if (msg.type === 'error') {
      log.warn('agent link: the agent reported an error', { code: msg.code, error: msg.message });
      return;
    }
    this.options.onMessage(msg);
  }
}
