/**
 * @module The running agent: ties the channel, the verifier, the run queue, the journal and the facts together.
 * Every envelope is verified before anything else happens; every id is journaled before its process starts, or when
 * it is refused. Every other frame that makes the agent act is a signed control frame, checked by the `ControlGate`.
 */
import type { AgentMessage, AgentResult, AgentUpdateStatus, Envelope, RefusalReason } from '@fixpoint/protocol';
import { AGENT_VERSION, type AgentPaths } from './config';
import { channelUrl } from './transport/channel-url';
import { ChannelClient, type ChannelClientOptions, type ServerWork } from './transport/channel-client';
import { ControlGate } from './transport/control-gate';
import { startResultResend } from './transport/result-resend';
import { failedResult, noUserResult } from './exec/result';
import { UserWaits } from './exec/user-wait';
import { removeLeftoverWorkspace, removeOrphanedWorkspaces } from './exec/workspace';
import { isProcessAlive } from './exec/posix-process';
import { RunQueue } from './exec/run-queue';
import { HeldEnvelopes } from './exec/hold';
import { startRun, type RunHandle } from './exec/runner';
import { verifyEnvelope } from './exec/verify';
import type { PlatformOps } from './exec/platform';
import { collectFacts, stableFactsKey, type Facts } from './facts';
import type { AgentConfig } from './state/agent-config';
import { loadDeviceKeys, type DeviceKeys, type Identity } from './state/identity';
import { Journal } from './state/journal';
import { writeStatusFile, type ConnectionState } from './state/status-file';
import { describeError, log } from './log';
import { DeviceCampaigns } from './campaigns';
import { journalStart } from './self-service/activity';
import { SelfServiceDesk } from './self-service';
import type { TrayHubOptions } from './ipc/tray-hub';

export interface AgentOptions {
  paths: AgentPaths;
  identity: Identity;
  config: AgentConfig;
  platform: PlatformOps;
  /** Channel tuning (keepalive, backoff); the URL and keys come from the identity. */
  channel?: Pick<ChannelClientOptions, 'keepaliveMs' | 'authTimeoutMs' | 'backoff'>;
  /** How often facts are re-collected to notice changes (default 5 min); they are sent anyway every `factsFullMs` (1 h). */
  factsCheckMs?: number;
  factsFullMs?: number;
  /** How long a result may stay unacked while connected before it is offered again (default 60 s; `result-resend.ts`). */
  resultResendMs?: number;
  collectFacts?: () => Promise<Facts>;
  killGraceMs?: number;
  now?: () => Date;
  /** Who gets a tray socket (the daemon follows the sessions); without it the agent serves no tray. */
  trayIpc?: Pick<TrayHubOptions, 'discover' | 'watchSessions'>;
  /** A verified `update` frame (see update/updater.ts); without it updates are refused. */
  onUpdate?: (frame: Extract<ServerWork, { type: 'update' }>) => void;
  /** Called after each welcome, once the channel can carry reports. */
  onConnected?: () => void;
  /** A new binary on trial (update/updater.ts): it only connects, and pulls no work. */
  trial?: boolean;
  /** How often a `runAs: user` run waiting for someone to log in looks for a console session (default 5 s). */
  userPollMs?: number;
}

interface Job {
  id: string;
  envelope: Envelope;
}

interface HeldJob extends Job {
  notBefore: string;
  expiresAt: string;
}

export class Agent {
  private readonly journal: Journal;
  private readonly keys: DeviceKeys;
  private readonly channel: ChannelClient;
  private readonly control: ControlGate;
  private readonly queue: RunQueue<Job>;
  /** Verified envelopes waiting for their signed `notBefore`. */
  private readonly held: HeldEnvelopes<HeldJob>;
  private readonly handles = new Map<string, RunHandle>();
  /** Run directories being deleted after their result went out. */
  private readonly cleanups = new Set<Promise<void>>();
  private readonly campaigns: DeviceCampaigns;
  /** Trays' self-service fixes and activity view. */
  private readonly selfService: SelfServiceDesk;
  /** `runAs: user` runs waiting for someone to log in at the console. */
  private readonly userWaits: UserWaits;
  private readonly now: () => Date;
  private readonly timers: NodeJS.Timeout[] = [];
  private lastFactsKey: string | null = null;
  private lastFactsSent = 0;
  private factsPending: NodeJS.Timeout | null = null;
  private state: { state: ConnectionState; error: string | null; since: string };
  private stopping = false;
  /** Settles when the previously started job has spawned (or given up): spawns happen in launch order. */
  private spawnTurn: Promise<void> = Promise.resolve();

  constructor(private readonly options: AgentOptions) {
    this.now = options.now ?? (() => new Date());
    this.journal = Journal.open(options.paths.journal, { now: this.now });
    this.keys = loadDeviceKeys(options.identity);
    const { deviceId, serverKeyId } = options.identity;
    this.control = new ControlGate({ deviceId, serverKey: this.keys.server, serverKeyId, now: this.now });
    this.queue = new RunQueue(options.config.maxConcurrency, (job) => this.runJob(job));
    this.held = new HeldEnvelopes(this.now, (job) => {
      log.info('hold ended', { executionId: job.id, notBefore: job.notBefore });
      this.admit(job);
      this.writeStatus();
    });
    this.state = { state: 'starting', error: null, since: this.now().toISOString() };
    this.channel = new ChannelClient({
      ...options.channel,
      url: channelUrl(options.identity.server),
      deviceId: options.identity.deviceId,
      deviceKey: this.keys.device,
      agentVersion: AGENT_VERSION,
      handlers: {
        onReady: (serverTime) => this.handleReady(serverTime),
        onMessage: (msg, json, connection) => this.handleMessage(msg, json, connection),
        onState: (state, error) => this.setState(state, error),
      },
    });
    this.userWaits = new UserWaits({
      hasUser: async () => (await options.platform.consoleUser()) !== null,
      now: this.now,
      pollMs: options.userPollMs,
    });
    this.selfService = new SelfServiceDesk({ send: (m) => this.send(m), journal: this.journal, now: this.now });
    this.campaigns = new DeviceCampaigns({
      send: (m) => this.send(m),
      platform: options.platform,
      now: this.now,
      trayIpc: options.trayIpc,
      trayRequest: (user, request, reply) => this.selfService.handle(user, request, reply),
    });
  }

  /** Recovers from the journal, then connects. */
  start(): void {
    this.recover();
    removeOrphanedWorkspaces(isProcessAlive).then(
      (n) => n && log.warn('deleted run directories left by an agent process that is gone', { count: n }),
      (err: unknown) => log.warn('cannot look for leftover run directories', { error: describeError(err) }),
    );
    this.channel.start();
    this.campaigns.start();
    const check = setInterval(() => this.refreshFacts(false), this.options.factsCheckMs ?? 5 * 60_000);
    this.timers.push(check);
    this.timers.push(startResultResend({ intervalMs: this.options.resultResendMs ?? 60_000, unacked: () => this.journal.unacked(), send: (r) => this.send(r) }));
  }

  /** Disconnects and ends running process trees. Their ids stay open in the journal: the next start reports them. */
  async stop(): Promise<void> {
    this.stopping = true;
    for (const t of this.timers) clearInterval(t);
    if (this.factsPending) clearTimeout(this.factsPending);
    for (const handle of this.handles.values()) handle.cancel();
    this.userWaits.stop();
    this.selfService.stop();
    this.held.clear();
    await this.campaigns.stop();
    await this.channel.stop();
    await Promise.all(this.cleanups);
    this.setState('stopped', null);
    this.journal.close();
  }

  /** Executions started before a crash: kill what is left of them and report them failed, never run them again. */
  private recover(): void {
    for (const entry of this.journal.interrupted()) {
      const killed = entry.pid !== undefined && this.options.platform.killLeftover(entry.pid, entry.procStart);
      if (entry.dir) removeLeftoverWorkspace(entry.dir);
      log.warn('recovered an execution interrupted by a restart', { executionId: entry.id, killedLeftovers: killed });
      this.journal.recordResult(
        entry.id,
        failedResult(entry.id, 'failed', 'agent_restarted', 'the agent restarted while this execution ran', this.now(), entry.startedAt),
      );
    }
  }

  /** Tells the server how an update ended; false when the channel is down. */
  reportUpdate(status: Omit<AgentUpdateStatus, 'type' | 'at'>): boolean {
    return this.send({ type: 'update_status', ...status, at: this.now().toISOString() });
  }

  private send(message: AgentMessage): boolean {
    return this.channel.send(message);
  }

  private setState(state: ConnectionState, error: string | null): void {
    this.state = { state, error: error ?? (state === 'connected' ? null : this.state.error), since: this.now().toISOString() };
    this.writeStatus();
  }

  private writeStatus(): void {
    try {
      writeStatusFile(this.options.paths, {
        pid: process.pid,
        state: this.state.state,
        since: this.state.since,
        server: this.options.identity.server,
        lastError: this.state.error,
        running: this.queue.runningIds,
        queued: this.queue.waitingCount + this.userWaits.size + this.held.size,
      });
    } catch (err) {
      log.warn('cannot write the status file', { error: describeError(err) });
    }
  }

  private handleReady(serverTime: string | undefined): void {
    log.info('channel: connected', { server: this.options.identity.server });
    // Expiry checks use the local clock; a large skew expires envelopes early or keeps them alive too long.
    const skewMs = serverTime ? Math.abs(Date.parse(serverTime) - this.now().getTime()) : 0;
    if (skewMs > 120_000) log.warn('the clock differs from the server clock', { skewSec: Math.round(skewMs / 1000) });
    this.options.onConnected?.();
    if (this.options.trial) return;
    for (const result of this.journal.unacked()) this.send(result);
    this.send({ type: 'pull' });
    this.campaigns.ready();
    this.lastFactsKey = null;
    this.refreshFacts(true);
  }

  private handleMessage(msg: ServerWork, json: unknown, connection: string): void {
    if (msg.type !== 'execute') {
      const verdict = this.control.check(msg, json, connection);
      if (!verdict.ok) {
        log.warn('refused a control frame', { type: msg.type, error: verdict.message });
        this.send({ type: 'error', code: 'protocol_error', message: verdict.message });
        return;
      }
    }
    if (msg.type === 'ack') {
      this.journal.recordAck(msg.executionId);
      return;
    }
    if (msg.type === 'cancel') return this.cancel(msg.executionId);
    if (msg.type === 'update') {
      if (this.options.onUpdate) return this.options.onUpdate(msg);
      return void this.reportUpdate({ releaseId: msg.releaseId, version: msg.version, outcome: 'refused', reason: 'install_failed', message: 'this agent does not update itself' });
    }
    if (msg.type === 'self_service_reply') return this.selfService.handleServer(msg);
    if (msg.type === 'help_ack') return this.campaigns.help.handleAck(msg);
    if (msg.type !== 'execute') return this.campaigns.handleServer(msg);
    const rawPayload = (json as { envelope?: { payload?: unknown } }).envelope?.payload;
    this.receive(msg.envelope, rawPayload);
  }

  private receive(envelope: Envelope, rawPayload: unknown): void {
    const id = envelope.payload.executionId;
    const { identity, config, platform } = this.options;
    const verdict = verifyEnvelope(envelope, rawPayload, {
      deviceId: identity.deviceId,
      platform: platform.name,
      serverKey: this.keys.server,
      serverKeyId: identity.serverKeyId,
      requirePublisherSignature: config.requirePublisherSignature,
      publisherKeys: config.publisherKeys,
      seen: (executionId) => this.journal.has(executionId) || this.isWaiting(executionId),
      now: this.now(),
    });
    const at = this.now().toISOString();
    if (!verdict.ok) {
      // Another copy of an id this agent holds is answered with where that id stands: a forged or stale copy must
      // not fail an execution that was verified, and a refused id gets its refusal again.
      const entry = this.journal.get(id);
      if (entry?.refused) return void this.send({ type: 'refused', executionId: id, reason: entry.refused.reason, message: `refused before: ${entry.refused.message}` });
      if (this.queue.isRunning(id)) return void this.send({ type: 'status', executionId: id, status: 'running', at });
      if (this.isWaiting(id)) return void this.send({ type: 'status', executionId: id, status: 'delivered', at });
      if (entry?.result && !entry.acked) return void this.send(entry.result);
      log.warn('refused an envelope', { executionId: id, reason: verdict.reason });
      this.refuse(envelope, verdict.reason, verdict.message);
      return;
    }
    const { notBefore, expiresAt } = envelope.payload;
    if (notBefore && this.held.holdIfEarly({ id, envelope, notBefore, expiresAt })) log.info('holding an envelope until its time', { executionId: id, notBefore });
    else this.admit({ id, envelope });
    this.send({ type: 'status', executionId: id, status: 'delivered', at });
    this.writeStatus();
  }

  /** Queued, held until its time, or waiting for a console user. */
  private isWaiting(id: string): boolean {
    return this.queue.has(id) || this.held.has(id) || this.userWaits.has(id);
  }

  /** A verified envelope whose time has come: a user run waits for a console user (see `admitUserRun`), others queue. */
  private admit(job: Job): void {
    const p = job.envelope.payload;
    if (p.runAs === 'user' && p.whenNoUser !== 'fail') void this.admitUserRun(job);
    else this.queue.enqueue(job);
  }

  /**
   * A `runAs: user` run joins the queue once someone is logged in at the console. With `whenNoUser: skip` nobody
   * there ends it at once, with `wait` (the default) it waits until its expiry; either ends as the neutral no-user
   * outcome.
   */
  private async admitUserRun(job: Job): Promise<void> {
    const p = job.envelope.payload;
    const end = await this.userWaits.wait(job.id, p.expiresAt, p.whenNoUser !== 'skip');
    if (end === 'stopped') return;
    if (end === 'user') {
      this.queue.enqueue(job);
      return this.writeStatus();
    }
    this.journal.recordStart(job.id, journalStart(p));
    if (end === 'canceled') return this.finish(job.id, failedResult(job.id, 'canceled', 'canceled', 'canceled before it started', this.now()));
    const error = end === 'expired' ? `nobody logged in at the console before the run's expiry at ${p.expiresAt}` : 'no interactive user is logged in';
    log.info('user run ended without a console user', { executionId: job.id, action: p.actionSlug, end });
    this.finish(job.id, noUserResult(job.id, true, error, this.now()));
  }

  /** Journals a refusal before reporting it, so the id never runs afterwards (not even after a restart). */
  private refuse(envelope: Envelope, reason: RefusalReason, message: string): void {
    const p = envelope.payload;
    if (!this.journal.has(p.executionId)) this.journal.recordRefusal(p.executionId, { action: p.actionSlug, expiresAt: p.expiresAt, reason, message });
    this.send({ type: 'refused', executionId: p.executionId, reason, message });
    this.selfService.progress(p.executionId, 'failed', null);
  }

  private cancel(id: string): void {
    if (this.userWaits.cancel(id)) return;
    const waiting = this.held.take(id) ?? this.queue.removeWaiting(id);
    if (waiting) {
      this.journal.recordStart(id, journalStart(waiting.envelope.payload));
      this.finish(id, failedResult(id, 'canceled', 'canceled', 'canceled before it started', this.now()));
      return;
    }
    this.handles.get(id)?.cancel();
  }

  private finish(id: string, result: AgentResult): void {
    this.journal.recordResult(id, result);
    this.selfService.progress(id, result.status, result.exitCode);
    this.send(result);
    this.writeStatus();
  }

  private async runJob({ id, envelope }: Job): Promise<void> {
    const p = envelope.payload;
    // It may have waited in the queue past its expiry.
    if (Date.parse(p.expiresAt) <= this.now().getTime()) return this.refuse(envelope, 'expired', `expired at ${p.expiresAt} while queued`);
    this.journal.recordStart(id, journalStart(p));
    const { platform } = this.options;
    const previousTurn = this.spawnTurn;
    let endTurn!: () => void;
    this.spawnTurn = new Promise((resolve) => (endTurn = resolve));
    const handle = startRun(envelope, {
      platform,
      now: this.now,
      killGraceMs: this.options.killGraceMs,
      beforeSpawn: () => previousTurn,
      openControl: (dir, user) => this.campaigns.openControl(id, dir, user),
      onSpawn: (pid, dir) => {
        endTurn();
        this.journal.recordPid(id, pid, pid === undefined ? undefined : platform.processStartToken(pid), dir);
        this.send({ type: 'status', executionId: id, status: 'running', at: this.now().toISOString() });
        this.selfService.progress(id, 'running');
      },
    });
    this.handles.set(id, handle);
    this.writeStatus();
    const result = await handle.result.finally(endTurn);
    this.handles.delete(id);
    const cleaned = handle.cleanedUp;
    this.cleanups.add(cleaned);
    void cleaned.finally(() => this.cleanups.delete(cleaned));
    if (this.stopping) return;
    log.info('execution finished', { executionId: id, action: p.actionSlug, status: result.status, exitCode: result.exitCode });
    this.finish(id, result);
    this.scheduleFactsCheck();
  }

  /** Scripts change machines; look at the facts again shortly after each run. */
  private scheduleFactsCheck(): void {
    if (this.factsPending) return;
    this.factsPending = setTimeout(() => {
      this.factsPending = null;
      this.refreshFacts(false);
    }, 2000);
  }

  private refreshFacts(force: boolean): void {
    const collect = this.options.collectFacts ?? collectFacts;
    collect()
      .then((facts) => {
        const key = stableFactsKey(facts);
        const stale = this.now().getTime() - this.lastFactsSent >= (this.options.factsFullMs ?? 3600_000);
        if (!force && !stale && key === this.lastFactsKey) return;
        if (this.send({ type: 'facts', facts })) {
          this.lastFactsKey = key;
          this.lastFactsSent = this.now().getTime();
        }
      })
      .catch((err: unknown) => log.warn('facts: collection failed', { error: describeError(err) }));
  }
}
