/**
 * @module The tray's connection to the agent: hello with the user's secret, then prompts in, answers out.
 * Reconnects with jittered backoff (the agent restarts, sessions come and go) and reads the secret afresh each time,
 * because the agent renews it at every start.
 */
import { readFile } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import { userInfo } from 'node:os';
import { lineSplitter, parseAgentToTrayMessage, type AgentToTrayMessage, type TrayMessage } from '@fixpoint/protocol';
import { socketFor, type AgentEndpoint } from './socket-path';
import { log } from './log';

export interface AgentLinkOptions {
  endpoint: () => Promise<AgentEndpoint>;
  version: string;
  language?: string | undefined;
  onMessage(message: Exclude<AgentToTrayMessage, { type: 'welcome' | 'error' }>): void;
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
    this.socket.write(`${JSON.stringify(message)}\n`);
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
    );
    socket.on('connect', () => {
      const hello: TrayMessage = { type: 'hello', token, user: userInfo().username, pid: process.pid, version: this.options.version };
      if (this.options.language) hello.language = this.options.language;
      socket.write(`${JSON.stringify(hello)}\n`);
    });
    socket.on('data', (chunk: string) => push(chunk));
    socket.on('error', (err) => log.debug('agent link: socket error', { error: err.message }));
    socket.on('close', () => {
      if (this.socket === socket) this.socket = null;
      if (this.ready) this.options.onState?.(false);
      this.ready = false;
      this.retry();
    });
  }

  private handleLine(line: string): void {
    const parsed = parseAgentToTrayMessage(line);
    if (!parsed.ok) {
      log.warn('agent link: unreadable message', { error: parsed.error.message });
      this.send({ ...parsed.error });
      return;
    }
    const msg = parsed.message;
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
