/**
 * @module Campaign requests on the device: what the server says is pending, what scripts ask for, which tray
 * shows what, and the responses going back. Responses stay in an outbox until the server acks them, and are sent
 * again after every reconnect. A script's wait always ends: answered, declined, postponed, or at its timeout
 * (`timeout`, `expired`, `notification_failed`); at once with `no_user` when nobody is logged in. The timeout closes
 * the request only when the script created it: a script that found the request already pending (someone else asked
 * first) just stops reading it. `--no-wait` ends the wait once the request exists; `--status` asks the server where a
 * request stands. A request with a deadline (see `deadline.ts`) keeps its script waiting through postpones and ends
 * with `deadline_reached` when the deadline comes first.
 */
import { randomUUID } from 'node:crypto';
import {
  maxScriptCampaignTimeoutSec,
  validateAnswers,
  type AgentCampaignResponse,
  type AgentMessage,
  type CampaignRequestPush,
  type ResponseState,
  type ScriptCampaignOutcome,
  type ControlBody,
  type TrayAnswer,
} from '@fixpoint/protocol';
import { log } from '../log';
import type { TrayHub } from '../ipc/tray-hub';
import { deadlineOf, postponedUntil, postponesLeft, type DeadlineOverrides } from './deadline';
import { emptyOutcome, promptFor, timeoutState, type Held, type Waiter } from './held';

/** A campaign frame from the server, once its signature was checked (the coordinator never sees the seal). */
export type CampaignServerMessage = Extract<ControlBody, { type: 'campaigns' | 'campaign_started' | 'campaign_failed' | 'campaign_ack' | 'campaign_state' }>;

export interface CoordinatorOptions {
  /** Sends on the channel; false while it is down (the coordinator sends again on `ready`). */
  send(message: AgentMessage): boolean;
  trays: Pick<TrayHub, 'presence' | 'send' | 'refresh' | 'users'>;
  consoleUser(): Promise<string | null>;
  now?: () => Date;
}

export interface ScriptCampaignInput extends DeadlineOverrides {
  campaign: string;
  parameters: Record<string, string>;
  timeoutSec?: number | undefined;
  executionId?: string | undefined;
  noWait?: boolean | undefined;
}

/** Without `--timeout`, a script waits an hour (its action's own timeout still applies). */
const defaultTimeoutSec = 3600;
/** How long `--status` waits for the server. */
const statusTimeoutMs = 30_000;
const same = (a: string | null, b: string | null) => a !== null && b !== null && a.toLowerCase() === b.toLowerCase();

export class CampaignCoordinator {
  private readonly held = new Map<string, Held>();
  private readonly waiters = new Map<string, Waiter>();
  /** `--status` reads waiting for the server, by local id. */
  private readonly reads = new Map<string, (outcome: ScriptCampaignOutcome) => void>();
  private readonly outbox = new Map<string, AgentCampaignResponse[]>();
  /** Requests this device closed, so a `campaigns` list computed before the close does not bring them back. */
  private readonly closed = new Set<string>();
  private readonly now: () => Date;

  constructor(private readonly options: CoordinatorOptions) {
    this.now = options.now ?? (() => new Date());
  }

  /** The channel is up: send what the server has not acknowledged and the starts it has not answered. */
  ready(): void {
    for (const list of this.outbox.values()) for (const response of list) this.options.send(response);
    for (const waiter of this.waiters.values()) if (!waiter.requestId) this.sendStart(waiter);
  }

  /** Ends every wait (the agent is stopping). */
  stop(): void {
    for (const waiter of [...this.waiters.values()]) this.finishWaiter(waiter, emptyOutcome('error', { message: 'the agent is stopping' }));
    for (const read of [...this.reads.values()]) read(emptyOutcome('error', { message: 'the agent is stopping' }));
    for (const held of this.held.values()) {
      if (held.expiryTimer) clearTimeout(held.expiryTimer);
      if (held.deadlineTimer) clearTimeout(held.deadlineTimer);
    }
    this.held.clear();
  }

  handleServer(msg: CampaignServerMessage): void {
    switch (msg.type) {
      case 'campaigns':
        return this.reconcile(msg.requests);
      case 'campaign_started': {
        const waiter = this.waiters.get(msg.localId);
        if (!waiter) {
          // the script gave up before the server answered: nobody waits for the request it created any more
          if (!msg.reused && !this.held.has(msg.request.requestId)) this.respond(msg.request.requestId, 'timeout', {}, {}, null);
          return;
        }
        waiter.requestId = msg.request.requestId;
        waiter.reused = msg.reused === true;
        const held = this.hold(msg.request, waiter.user);
        if (!waiter.reused && (waiter.overrides.deadline || waiter.overrides.maxPostpones !== undefined || waiter.overrides.countdownSec !== undefined))
          this.armDeadline(held, deadlineOf(msg.request, waiter.overrides));
        if (waiter.noWait) return this.finishWaiter(waiter, emptyOutcome('pending', { requestId: msg.request.requestId }));
        held.waiters.add(waiter);
        // without --timeout, a script waits for the deadline however far it is
        if (held.deadline && !waiter.explicitTimeout) waiter.deadline = Math.max(waiter.deadline, held.deadline.at + 30_000);
        this.armWaiter(waiter, Date.parse(msg.request.expiresAt));
        return;
      }
      case 'campaign_failed': {
        const waiter = this.waiters.get(msg.localId);
        const outcome = emptyOutcome('error', { message: `${msg.code}: ${msg.message}` });
        if (waiter) this.finishWaiter(waiter, outcome);
        this.reads.get(msg.localId)?.(outcome);
        return;
      }
      case 'campaign_state':
        this.reads.get(msg.localId)?.({ type: 'outcome', status: msg.status, answers: msg.answers, freeText: msg.freeText, requestId: msg.requestId });
        return;
      case 'campaign_ack': {
        const list = this.outbox.get(msg.requestId);
        list?.shift();
        if (!list?.length) this.outbox.delete(msg.requestId);
        if (msg.error) log.warn('campaigns: the server refused a response', { requestId: msg.requestId, code: msg.error.code, error: msg.error.message });
        return;
      }
    }
  }

  /** A script asks for a campaign; resolves when its wait ends. `abandon` when the script went away. */
  startScriptCampaign(input: ScriptCampaignInput, user: string | null): { outcome: Promise<ScriptCampaignOutcome>; abandon(): void } {
    const untilDeadline = input.deadline ? Math.ceil((Date.parse(input.deadline) - this.now().getTime()) / 1000) + 30 : 0;
    const timeoutSec = Math.min(input.timeoutSec ?? Math.max(defaultTimeoutSec, untilDeadline), maxScriptCampaignTimeoutSec);
    let resolve!: (o: ScriptCampaignOutcome) => void;
    const outcome = new Promise<ScriptCampaignOutcome>((r) => (resolve = r));
    const waiter: Waiter = {
      localId: randomUUID(),
      campaign: input.campaign,
      parameters: input.parameters,
      timeoutSec,
      executionId: input.executionId,
      user,
      requestId: null,
      reused: false,
      noWait: input.noWait === true,
      explicitTimeout: input.timeoutSec !== undefined,
      overrides: { deadline: input.deadline, maxPostpones: input.maxPostpones, countdownSec: input.countdownSec },
      deadline: this.now().getTime() + timeoutSec * 1000,
      timer: null,
      resolve,
    };
    this.waiters.set(waiter.localId, waiter);
    this.armWaiter(waiter, Infinity);
    this.sendStart(waiter);
    const abandon = () => {
      if (this.waiters.has(waiter.localId)) this.expireWaiter(waiter);
    };
    return { outcome, abandon };
  }

  /** `fixpoint campaign --status ID`: where a request of this device stands, as the server knows it. */
  readScriptCampaign(requestId: string): Promise<ScriptCampaignOutcome> {
    const localId = randomUUID();
    return new Promise((resolve) => {
      const finish = (outcome: ScriptCampaignOutcome) => {
        clearTimeout(timer);
        this.reads.delete(localId);
        resolve(outcome);
      };
      const timer = setTimeout(() => finish(emptyOutcome('error', { message: 'the server did not answer in time; is the device connected?' })), statusTimeoutMs);
      this.reads.set(localId, finish);
      if (!this.options.send({ type: 'campaign_status', localId, requestId }))
        finish(emptyOutcome('error', { message: 'the agent is not connected to the server; try again later' }));
    });
  }

  // ── trays ──────────────────────────────────────────────────────────────────

  traysChanged(user: string): void {
    for (const held of this.held.values()) {
      if (held.user === null && held.push.targetUser === null) held.user = user;
      if (same(held.user, user)) this.deliver(held);
    }
    this.sendPending(user);
  }

  shown(user: string, requestId: string): void {
    const held = this.held.get(requestId);
    if (held && same(held.user, user)) held.shown = true;
  }

  answer(user: string, answer: TrayAnswer): void {
    const held = this.held.get(answer.requestId);
    if (!held || !same(held.user, user)) return log.warn('campaigns: an answer for a request this user does not hold', { user, requestId: answer.requestId });
    const check = validateAnswers(held.push.definition, answer.answers, { freeText: answer.freeText, complete: answer.state === 'fully' });
    if (!check.ok) return log.warn('campaigns: answers that do not fit the campaign', { requestId: answer.requestId, problem: check.problems[0]?.message });
    if (answer.state === 'postponed' && held.deadline) {
      if (postponesLeft(held.deadline, held.postpones) === 0) return log.warn('campaigns: a postpone past the limit', { requestId: answer.requestId });
      // the script keeps waiting: the prompt comes back, at the latest for the countdown
      held.postpones++;
      this.respond(answer.requestId, 'postponed', answer.answers, answer.freeText, user, answer.language, answer.respondedAt);
      held.notBefore = new Date(postponedUntil(held.deadline, this.now().getTime(), held.push.definition.postponeDelaySec)).toISOString();
      return this.deliver(held);
    }
    this.respond(answer.requestId, answer.state, answer.answers, answer.freeText, user, answer.language, answer.respondedAt);
    const outcome: ScriptCampaignOutcome = { type: 'outcome', status: answer.state, answers: { ...answer.answers }, freeText: { ...answer.freeText }, requestId: answer.requestId };
    for (const waiter of [...held.waiters]) this.finishWaiter(waiter, outcome);
    if (answer.state === 'postponed') {
      held.notBefore = new Date(this.now().getTime() + held.push.definition.postponeDelaySec * 1000).toISOString();
      return;
    }
    this.drop(held, 'answered');
  }

  // ── internals ──────────────────────────────────────────────────────────────

  private sendStart(waiter: Waiter): void {
    this.options.send({
      type: 'campaign_start',
      localId: waiter.localId,
      campaign: waiter.campaign,
      parameters: waiter.parameters,
      timeoutSec: waiter.timeoutSec,
      user: waiter.user,
      ...(waiter.executionId ? { executionId: waiter.executionId } : {}),
    });
  }

  private armWaiter(waiter: Waiter, expiresAt: number): void {
    if (waiter.timer) clearTimeout(waiter.timer);
    const at = Math.min(waiter.deadline, expiresAt);
    waiter.timer = setTimeout(() => this.expireWaiter(waiter), Math.max(0, at - this.now().getTime()));
  }

  /**
   * Time is up for a script (or it went away): tell the script what happened. A request the script created is
   * closed with that state (and every other script reading it told); one it found pending stays open for whoever
   * asked first.
   */
  private expireWaiter(waiter: Waiter): void {
    const requestId = waiter.requestId;
    if (!requestId) {
      this.finishWaiter(waiter, emptyOutcome('error', { message: 'the server did not answer in time; is the device connected?' }));
      return;
    }
    const held = this.held.get(requestId);
    const user = held?.user ?? waiter.user;
    const state = timeoutState(held, user !== null && this.options.trays.presence(user).session, this.now().getTime());
    this.finishWaiter(waiter, emptyOutcome(state, { requestId }));
    if (waiter.reused && state !== 'expired') return;
    if (state !== 'expired') this.respond(requestId, state, {}, {}, null);
    if (!held) return;
    for (const other of [...held.waiters]) this.finishWaiter(other, emptyOutcome(state, { requestId }));
    this.drop(held, state === 'expired' ? 'expired' : 'timeout');
  }

  private finishWaiter(waiter: Waiter, outcome: ScriptCampaignOutcome): void {
    if (waiter.timer) clearTimeout(waiter.timer);
    this.waiters.delete(waiter.localId);
    if (waiter.requestId) this.held.get(waiter.requestId)?.waiters.delete(waiter);
    waiter.resolve(outcome);
  }

  private respond(requestId: string, state: ResponseState, answers: AgentCampaignResponse['answers'], freeText: AgentCampaignResponse['freeText'], user: string | null, language?: string, at?: string): void {
    const message: AgentCampaignResponse = {
      type: 'campaign_response',
      requestId,
      state,
      answers,
      freeText,
      user,
      ...(language ? { language } : {}),
      at: at ?? this.now().toISOString(),
    };
    if (state !== 'postponed') this.remember(requestId);
    const list = this.outbox.get(requestId) ?? [];
    list.push(message);
    this.outbox.set(requestId, list);
    this.options.send(message);
  }

  private remember(requestId: string): void {
    this.closed.add(requestId);
    if (this.closed.size > 1000) this.closed.delete(this.closed.values().next().value!);
  }

  /** The server's full list: new requests are held and delivered; server requests it no longer lists are dropped. */
  private reconcile(requests: CampaignRequestPush[]): void {
    const listed = new Set(requests.map((r) => r.requestId));
    for (const push of requests) if (!this.closed.has(push.requestId)) this.hold(push, null);
    for (const held of [...this.held.values()])
      if (!listed.has(held.push.requestId) && !held.waiters.size)
        this.drop(held, Date.parse(held.push.expiresAt) <= this.now().getTime() ? 'expired' : 'canceled');
  }

  private hold(push: CampaignRequestPush, user: string | null): Held {
    const existing = this.held.get(push.requestId);
    if (existing) return existing;
    const held: Held = {
      push,
      user: push.targetUser ?? user,
      delivered: false,
      shown: false,
      notBefore: undefined,
      expiryTimer: null,
      waiters: new Set(),
      deadline: null,
      deadlineTimer: null,
      postpones: 0,
    };
    this.held.set(push.requestId, held);
    this.armDeadline(held, deadlineOf(push));
    const left = Date.parse(push.expiresAt) - this.now().getTime();
    const expire = () => {
      const [waiter] = held.waiters;
      // past the expiry, timeoutState says `expired`, which ends every wait on the request
      if (waiter) this.expireWaiter(waiter);
      else this.drop(held, 'expired');
    };
    held.expiryTimer = setTimeout(expire, Math.max(0, Math.min(left, 2 ** 31 - 1)));
    held.expiryTimer.unref();
    void this.assignAndDeliver(held);
    return held;
  }

  /** Finds who answers a request named for the device (the console user), then offers it to their trays. */
  private async assignAndDeliver(held: Held): Promise<void> {
    await this.options.trays.refresh();
    if (held.user === null) {
      const users = this.options.trays.users;
      held.user = (await this.options.consoleUser()) ?? (users.length === 1 ? users[0]! : null);
    }
    if (this.held.get(held.push.requestId) !== held) return;
    this.deliver(held);
    if (held.user) this.sendPending(held.user);
    // Nobody is logged in (no console user and no tray session, or the script's user has no session): a script's
    // wait would only run out, so it ends now with no_user.
    const nobody = held.user === null ? this.options.trays.users.length === 0 : !this.options.trays.presence(held.user).session;
    if (nobody) for (const waiter of [...held.waiters]) this.expireWaiter(waiter);
  }

  private deliver(held: Held): void {
    if (!held.user) return;
    const sent = this.options.trays.send(held.user, (hello) => ({ type: 'prompt', request: promptFor(held, hello.language) }));
    if (sent > 0) held.delivered = true;
  }

  /** Sets (or replaces) the request's deadline; at the deadline the request ends with `deadline_reached`. */
  private armDeadline(held: Held, deadline: Held['deadline']): void {
    if (held.deadlineTimer) clearTimeout(held.deadlineTimer);
    held.deadline = deadline;
    held.deadlineTimer = null;
    if (!deadline) return;
    const reach = () => {
      if (this.held.get(held.push.requestId) !== held) return;
      const requestId = held.push.requestId;
      this.respond(requestId, 'deadline_reached', {}, {}, held.user);
      for (const waiter of [...held.waiters]) this.finishWaiter(waiter, emptyOutcome('deadline_reached', { requestId }));
      this.drop(held, 'deadline_reached');
    };
    held.deadlineTimer = setTimeout(reach, Math.max(0, Math.min(deadline.at - this.now().getTime(), 2 ** 31 - 1)));
    held.deadlineTimer.unref();
  }

  private drop(held: Held, reason: 'answered' | 'expired' | 'canceled' | 'timeout' | 'deadline_reached'): void {
    if (this.held.get(held.push.requestId) !== held) return;
    this.held.delete(held.push.requestId);
    if (held.expiryTimer) clearTimeout(held.expiryTimer);
    if (held.deadlineTimer) clearTimeout(held.deadlineTimer);
    if (!held.user) return;
    this.options.trays.send(held.user, { type: 'withdraw', requestId: held.push.requestId, reason });
    this.sendPending(held.user);
  }

  private sendPending(user: string): void {
    let count = 0;
    for (const held of this.held.values()) if (same(held.user, user)) count++;
    this.options.trays.send(user, { type: 'pending', count });
  }
}
