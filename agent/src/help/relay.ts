/**
 * @module "Get help" on the device: a tray's `help` goes to the backend as `help_request`, in the name of the account
 * the tray connection was authenticated as, and the backend's `help_ack` goes back to that tray as `help_result`.
 * Nothing is kept: while the channel is down, or when the backend does not answer in time, the tray hears so at once
 * and the user can send again.
 */
import type { AgentMessage, ControlBody, TrayHelp, TrayHelpResult } from '@fixpoint/protocol';
import { log } from '../log';

export type HelpAck = Extract<ControlBody, { type: 'help_ack' }>;

export interface HelpRelayOptions {
  /** Sends on the channel; false while it is down. */
  send(message: AgentMessage): boolean;
  /** How long to wait for the backend (default 30 s). */
  timeoutMs?: number;
}

interface Waiting {
  reply(message: TrayHelpResult): void;
  timer: NodeJS.Timeout;
}

/** Requests in flight at once, across users: a tray cannot pile up screenshots in the agent's memory. */
const maxWaiting = 20;

export class HelpRelay {
  private readonly waiting = new Map<string, Waiting>();

  constructor(private readonly options: HelpRelayOptions) {}

  /** A user's tray asks for help; `reply` reaches that tray. */
  request(user: string, help: TrayHelp, reply: (message: TrayHelpResult) => void): void {
    const fail = (code: string, message: string) => reply({ type: 'help_result', localId: help.localId, error: { code, message } });
    if (this.waiting.has(help.localId)) return fail('conflict', 'this help request is already on its way');
    if (this.waiting.size >= maxWaiting) return fail('rate_limited', 'too many help requests at once; try again in a minute');
    const { type: _type, ...fields } = help;
    if (!this.options.send({ type: 'help_request', ...fields, user }))
      return fail('unavailable', 'the device is not connected to the server; try again later');
    const timer = setTimeout(() => this.finish({ type: 'help_ack', localId: help.localId, error: { code: 'internal', message: 'the server did not answer in time; try again later' } }), this.options.timeoutMs ?? 30_000);
    timer.unref();
    this.waiting.set(help.localId, { reply, timer });
    log.info('help: sent a help request', { user, localId: help.localId, screenshot: help.screenshot !== undefined });
  }

  /** The backend stored the request (or refused it). */
  handleAck(ack: HelpAck): void {
    this.finish(ack);
  }

  stop(): void {
    for (const localId of [...this.waiting.keys()])
      this.finish({ type: 'help_ack', localId, error: { code: 'internal', message: 'the agent is stopping' } });
  }

  private finish(ack: HelpAck): void {
    const waiting = this.waiting.get(ack.localId);
    if (!waiting) return;
    clearTimeout(waiting.timer);
    this.waiting.delete(ack.localId);
    waiting.reply({ type: 'help_result', localId: ack.localId, ...(ack.id ? { id: ack.id } : {}), ...(ack.error ? { error: ack.error } : {}) });
  }
}
