/**
 * @module One tray client on a user's socket: a hello with the user's secret first (on Windows a challenge, and a
 * proof of the secret instead of the secret, see `@fixpoint/protocol/tray-crypto`), then `shown` and `answer` messages, on Windows each
 * line sealed after the welcome. Malformed lines get an `error` line back and never end the agent; a
 * tray that does not authenticate within a few seconds, or sends garbage before it has, is disconnected, and so is a
 * challenged one whose line after the welcome is not the next one sealed with the connection's key.
 */
import { timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Socket } from 'node:net';
import {
  lineSplitter,
  parseSealedLine,
  parseTrayMessage,
  TRAY_IPC_MAX_LINE_BYTES,
  TRAY_IPC_MAX_SEALED_LINE_BYTES,
  type AgentToTrayMessage, type IpcError, type TrayActivityRequest, type TrayAnswer, type TrayHello, type TrayHelp, type TraySelfService } from '@fixpoint/protocol';
import { AGENT_VERSION } from '../config';
import { log } from '../log';
import { helloProof, lineSeal, newNonce, sealKey } from '@fixpoint/protocol/tray-crypto';
import type { IpcUser } from './user-socket';

/** What a connection reports to whoever owns the user's socket. */
export interface TrayConnectionHost {
  readonly user: IpcUser;
  readonly token: string;
  /** Challenge the tray and take only a proof of the secret (Windows, where others may serve the pipe too). */
  readonly challenge: boolean;
  admitted(conn: TrayConnection): void;
  closed(conn: TrayConnection): void;
  shown(conn: TrayConnection, requestId: string): void;
  answer(conn: TrayConnection, answer: TrayAnswer): void;
  /** A self-service or activity request; the reply goes to this connection only. */
  request?(conn: TrayConnection, request: TraySelfService | TrayActivityRequest): void;
  /** The user asks for help ("Get help"). */
  help(conn: TrayConnection, help: TrayHelp): void;
}

const helloTimeoutMs = 5000;

/** The real uid of a process (Linux), or null when it cannot be read. */
export function processUid(pid: number): number | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const m = /^Uid:\s+(\d+)/m.exec(status);
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Whether a hello's user is the socket's: the same name, ignoring case; on Windows the tray knows only its account
 * name (`os.userInfo()`), the agent the session's `DOMAIN\\name`.
 */
export function sameAccount(helloUser: string, socketUser: string, platform: NodeJS.Platform = process.platform): boolean {
  const plain = (name: string) => (platform === 'win32' ? name.slice(name.lastIndexOf('\\') + 1) : name).toLowerCase();
  return helloUser.toLowerCase() === socketUser.toLowerCase() || (!helloUser.includes('\\') && plain(helloUser) === plain(socketUser));
}

export class TrayConnection {
  /** Set once the hello checked out. */
  hello: TrayHello | null = null;
  private readonly timer: NodeJS.Timeout;
  /** The nonce this connection was challenged with, when it was. */
  private readonly nonce: string | null;
  /** Set with the welcome, on a challenged connection: every later line either way goes through it. */
  private seal: ReturnType<typeof lineSeal> | null = null;
  /** Set when a sealed connection is being closed: the lines still buffered are not read. */
  private dropped = false;

  constructor(
    private readonly socket: Socket,
    private readonly host: TrayConnectionHost,
  ) {
    socket.setEncoding('utf8');
    this.timer = setTimeout(() => this.refuse('no hello within 5 s'), helloTimeoutMs);
    this.timer.unref();
    const push = lineSplitter(
      (line) => this.handleLine(line),
      () => (this.seal ? this.drop('a line is too long to be sealed') : this.fail({ type: 'error', code: 'payload_too_large', message: 'a line is too long' })),
      host.challenge ? TRAY_IPC_MAX_SEALED_LINE_BYTES : TRAY_IPC_MAX_LINE_BYTES,
    );
    socket.on('data', (chunk: string) => {
      try {
        push(chunk);
      } catch (err) {
        log.error('tray ipc: handler failed', { error: String(err) });
      }
    });
    socket.on('error', () => {});
    this.nonce = host.challenge ? newNonce() : null;
    if (this.nonce) this.send({ type: 'challenge', nonce: this.nonce });
    socket.on('close', () => {
      clearTimeout(this.timer);
      if (this.hello) this.host.closed(this);
    });
  }

  /** Sends one message; false when the tray is gone. */
  send(message: AgentToTrayMessage): boolean {
    if (this.socket.destroyed || !this.socket.writable) return false;
    const line = JSON.stringify(message);
    this.socket.write(`${this.seal ? this.seal.seal(line) : line}\n`);
    return true;
  }

  close(): void {
    this.socket.end();
    this.socket.destroySoon?.();
  }

  private fail(error: IpcError): void {
    if (this.hello) this.send(error);
    else this.refuse(error.message, error.code);
  }

  private refuse(why: string, code: IpcError['code'] = 'unauthenticated'): void {
    log.warn('tray ipc: refused a client', { user: this.host.user.name, why });
    this.send({ type: 'error', code, message: why });
    this.socket.end();
    setTimeout(() => this.socket.destroy(), 1000).unref();
  }

  /** Ends a sealed connection whose tray sent what it cannot have sealed: a relay changed, replayed or made up a line. */
  private drop(why: string): void {
    if (this.dropped) return;
    this.dropped = true;
    log.warn('tray ipc: closed a connection', { user: this.host.user.name, why });
    this.send({ type: 'error', code: 'protocol_error', message: why });
    this.socket.end();
    setTimeout(() => this.socket.destroy(), 1000).unref();
  }

  /** The plain line inside a sealed one, or null once the connection is dropped. */
  private unseal(seal: NonNullable<typeof this.seal>, line: string): string | null {
    const envelope = parseSealedLine(line);
    const opened = envelope.ok ? seal.open(envelope.message.seq, envelope.message.box) : { ok: false as const, why: `a line after the welcome is not sealed: ${envelope.error.message}` };
    if (opened.ok) return opened.line;
    this.drop(opened.why);
    return null;
  }

  private handleLine(sent: string): void {
    if (this.dropped) return;
    const line = this.seal ? this.unseal(this.seal, sent) : sent;
    if (line === null) return;
    const parsed = parseTrayMessage(line);
    if (!parsed.ok) return this.fail(parsed.error);
    const msg = parsed.message;
    if (!this.hello) {
      if (msg.type !== 'hello') return this.refuse(`expected hello, got ${msg.type}`);
      return this.checkHello(msg);
    }
    switch (msg.type) {
      case 'hello':
        return void this.send({ type: 'error', code: 'protocol_error', message: 'already authenticated' });
      case 'shown':
        return this.host.shown(this, msg.requestId);
      case 'answer':
        return this.host.answer(this, msg);
      case 'self_service':
      case 'activity':
        if (this.host.request) return this.host.request(this, msg);
        return void this.send({ type: 'error', code: 'not_found', message: 'this agent offers no self-service' });
      case 'help':
        return this.host.help(this, msg);
      case 'error':
        return log.warn('tray ipc: the tray reported an error', { user: this.host.user.name, code: msg.code, error: msg.message });
    }
  }

  private checkHello(hello: TrayHello): void {
    const { user, token } = this.host;
    if (this.nonce) {
      // the secret itself never crosses a pipe another account may be serving
      if (hello.token !== undefined || !hello.nonce || !hello.proof) return this.refuse('a proof of the secret is required, never the secret');
      if (!sameSecret(hello.proof, helloProof(token, 'tray', this.nonce, hello.nonce))) return this.refuse('wrong secret');
    } else if (hello.token === undefined || !sameSecret(hello.token, token)) return this.refuse('wrong secret');
    if (!sameAccount(hello.user, user.name)) return this.refuse(`this socket belongs to ${user.name}`);
    if (process.platform === 'linux') {
      const uid = processUid(hello.pid);
      if (uid !== user.uid) return this.refuse(`process ${hello.pid} does not belong to ${user.name}`);
    }
    clearTimeout(this.timer);
    this.hello = hello;
    const proof = this.nonce && hello.nonce ? { proof: helloProof(token, 'agent', this.nonce, hello.nonce) } : {};
    this.send({ type: 'welcome', agentVersion: AGENT_VERSION, ...proof });
    // the welcome is the last plain line: whoever relays the pipe reads and changes nothing after it
    if (this.nonce && hello.nonce) this.seal = lineSeal(sealKey(token, this.nonce, hello.nonce), 'agent');
    this.host.admitted(this);
  }
}
