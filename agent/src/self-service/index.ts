/**
 * @module Self-service on the device: a tray asks for the fixes this device offers or runs one; the request goes to
 * the server on the agent's channel (as the tray's user), and the server's reply goes back to the tray that asked.
 * A run the server launched is then followed here: the tray hears `queued`, `running` and the result as this agent
 * reaches them, without asking the server. The activity view is read from the journal alone.
 */
import { randomUUID } from 'node:crypto';
import type {
  AgentMessage, AgentToTrayMessage, ControlBody, SelfServiceState, TrayActivityRequest, TraySelfService,
} from '@fixpoint/protocol';
import { log } from '../log';
import type { JournalEntry } from '../state/journal';
import { activitySince } from './activity';

export type SelfServiceReply = Extract<ControlBody, { type: 'self_service_reply' }>;
/** Sends to the tray that asked; false when it is gone. */
export type TrayReply = (message: AgentToTrayMessage) => boolean;
export type TrayRequest = TraySelfService | TrayActivityRequest;

export interface SelfServiceDeskOptions {
  send(message: AgentMessage): boolean;
  journal: { activity(since: Date, max: number): JournalEntry[]; get(id: string): JournalEntry | undefined };
  now: () => Date;
  /** How long the server has to answer (default 30 s). */
  replyTimeoutMs?: number;
}

interface Asked {
  user: string;
  localId: string;
  op: 'list' | 'run';
  action: string | undefined;
  reply: TrayReply;
  timer: NodeJS.Timeout;
}

/** Runs followed for a tray, by execution id. */
interface Followed {
  localId: string;
  action: string;
  reply: TrayReply;
}

export class SelfServiceDesk {
  private readonly asked = new Map<string, Asked>();
  private readonly followed = new Map<string, Followed>();

  constructor(private readonly options: SelfServiceDeskOptions) {}

  /** A tray's request, from `user`'s socket. */
  handle(user: string, msg: TrayRequest, reply: TrayReply): void {
    if (msg.type === 'activity') {
      reply({ type: 'activity_list', localId: msg.localId, entries: activitySince(this.options.journal, this.options.now()) });
      return;
    }
    if (msg.op === 'run' && !msg.action) return void reply({ type: 'self_service_error', localId: msg.localId, code: 'bad_request', message: 'name the fix to run' });
    const serverId = randomUUID();
    const sent = this.options.send({ type: 'self_service', localId: serverId, op: msg.op, ...(msg.action ? { action: msg.action } : {}), user });
    if (!sent) return void reply({ type: 'self_service_error', localId: msg.localId, code: 'internal', message: 'this device cannot reach the server right now; try again later' });
    const timer = setTimeout(() => {
      this.asked.delete(serverId);
      reply({ type: 'self_service_error', localId: msg.localId, code: 'internal', message: 'the server did not answer; try again later' });
    }, this.options.replyTimeoutMs ?? 30_000);
    timer.unref();
    this.asked.set(serverId, { user, localId: msg.localId, op: msg.op, action: msg.action, reply, timer });
  }

  /** The server's signed reply. */
  handleServer(msg: SelfServiceReply): void {
    const asked = this.asked.get(msg.localId);
    if (!asked) return;
    this.asked.delete(msg.localId);
    clearTimeout(asked.timer);
    const { localId, reply } = asked;
    if (msg.error) {
      log.info('self-service: refused', { user: asked.user, action: asked.action, code: msg.error.code });
      reply({ type: 'self_service_error', localId, code: msg.error.code, message: msg.error.message, ...(msg.error.retryAfterSec !== undefined ? { retryAfterSec: msg.error.retryAfterSec } : {}) });
      return;
    }
    if (asked.op === 'list') return void reply({ type: 'self_service_fixes', localId, fixes: msg.fixes ?? [] });
    if (!msg.executionId || !asked.action) return void reply({ type: 'self_service_error', localId, code: 'internal', message: 'the server launched nothing' });
    log.info('self-service: launched', { user: asked.user, action: asked.action, executionId: msg.executionId });
    this.followed.set(msg.executionId, { localId, action: asked.action, reply });
    // the envelope may have overtaken the reply: say where the run already is
    const entry = this.options.journal.get(msg.executionId);
    if (entry?.result) this.progress(msg.executionId, entry.result.status, entry.result.exitCode);
    else if (entry?.refused) this.progress(msg.executionId, 'failed', null);
    else this.progress(msg.executionId, entry ? 'running' : 'queued');
  }

  /** Where a run stands on this device; the tray that started it hears it, until the result. */
  progress(executionId: string, state: SelfServiceState, exitCode?: number | null): void {
    const f = this.followed.get(executionId);
    if (!f) return;
    if (state !== 'queued' && state !== 'running') this.followed.delete(executionId);
    f.reply({ type: 'self_service_progress', localId: f.localId, action: f.action, executionId, state, ...(exitCode !== undefined ? { exitCode } : {}), at: this.options.now().toISOString() });
  }

  stop(): void {
    for (const a of this.asked.values()) clearTimeout(a.timer);
    this.asked.clear();
    this.followed.clear();
  }
}
