/**
 * @module The fleet simulator: many virtual agents in this process, each speaking the real protocol through the agent's
 * own `ChannelClient` (challenge, hello, pull, keepalive, reconnect) and checking every envelope with the agent's own
 * `verifyEnvelope`. What a virtual agent does with verified work is scripted: succeed with outputs, wait first, fail,
 * or drop its connection. Times are `performance.now()` readings of this process, so they compare with launch times.
 */
import type { KeyObject } from 'node:crypto';
import type { AgentMessage, AgentResult, Envelope } from '@fixpoint/protocol';
import { ChannelClient } from '../../agent/src/transport/channel-client';
import { verifyEnvelope } from '../../agent/src/exec/verify';

export type Behaviour =
  | { kind: 'succeed'; delayMs?: number; outputs?: Record<string, unknown> }
  | { kind: 'fail'; delayMs?: number }
  /** Verifies, then drops the connection (the client reconnects with backoff and gets the work again). */
  | { kind: 'disconnect' };

export interface FleetEvents {
  /** An `execute` message reached the virtual agent for `deviceId` (received and decoded by its transport). */
  delivered?(executionId: string, deviceId: string, at: number): void;
  /** An envelope passed verification on `deviceId`. */
  verified?(executionId: string, deviceId: string, at: number, envelope: Envelope): void;
  /** The virtual agent reported `running` (where a real agent would have spawned the script). */
  started?(executionId: string, deviceId: string, at: number): void;
  resultSent?(executionId: string, at: number): void;
  refused?(executionId: string, reason: string): void;
}

export interface FleetOptions {
  /** The agent channel; with several (backend instances), agents take them in turn. */
  channelUrl: string | readonly string[];
  deviceKey: KeyObject;
  serverKey: KeyObject;
  serverKeyId: string;
  behaviour?: Behaviour;
  events?: FleetEvents;
}

interface VirtualAgent {
  deviceId: string;
  client: ChannelClient;
  seen: Set<string>;
}

/** How long queued agent work may hold the thread before network reads get a turn. */
const workSliceMs = 4;

export class Fleet {
  private readonly agents: VirtualAgent[] = [];
  private readonly work: (() => void)[] = [];
  /** Launch signatures checked once for every virtual agent (see `receive`). */
  private readonly rootVerdicts = new Map<string, boolean>();
  private connected = 0;
  behaviour: Behaviour;
  events: FleetEvents;

  constructor(private readonly options: FleetOptions) {
    this.behaviour = options.behaviour ?? { kind: 'succeed', outputs: { ok: true } };
    this.events = options.events ?? {};
  }

  get size(): number {
    return this.agents.length;
  }

  /** Agents currently authenticated (welcomed and past their pull). */
  get ready(): number {
    return this.connected;
  }

  /**
   * Connects agents for `deviceIds`, `batch` at a time (each batch waits until it is welcomed, so a slow
   * server sees a steady stream, not a thundering herd). Rejects when a batch is not welcomed in `timeoutMs`.
   */
  async connect(deviceIds: readonly string[], batch = 500, timeoutMs = 60_000): Promise<void> {
    for (let i = 0; i < deviceIds.length; i += batch) {
      const target = this.connected + Math.min(batch, deviceIds.length - i);
      for (const id of deviceIds.slice(i, i + batch)) this.add(id);
      const deadline = Date.now() + timeoutMs;
      while (this.connected < target) {
        if (Date.now() > deadline) throw new Error(`only ${this.connected} of ${target} agents were welcomed`);
        await new Promise((r) => setTimeout(r, 20));
      }
    }
  }

  async stop(): Promise<void> {
    const all = this.agents.splice(0);
    for (let i = 0; i < all.length; i += 1000) await Promise.all(all.slice(i, i + 1000).map((a) => a.client.stop()));
  }

  /** Sends `message` from every agent of `deviceIds` (facts, for example). */
  report(deviceIds: ReadonlySet<string>, message: AgentMessage): void {
    for (const agent of this.agents) if (deviceIds.has(agent.deviceId)) agent.client.send(message);
  }

  private add(deviceId: string): void {
    const agent: VirtualAgent = { deviceId, seen: new Set(), client: null as unknown as ChannelClient };
    let up = false;
    const urls = typeof this.options.channelUrl === 'string' ? [this.options.channelUrl] : this.options.channelUrl;
    agent.client = new ChannelClient({
      url: urls[this.agents.length % urls.length]!,
      deviceId,
      deviceKey: this.options.deviceKey,
      agentVersion: 'fleet-sim',
      authTimeoutMs: 60_000,
      backoff: { baseMs: 200, capMs: 2000 },
      handlers: {
        onReady: () => {
          agent.client.send({ type: 'pull' });
        },
        onState: (state) => {
          const nowUp = state === 'connected';
          if (nowUp !== up) this.connected += nowUp ? 1 : -1;
          up = nowUp;
        },
        onMessage: (msg, json) => {
          if (msg.type !== 'execute') return;
          this.events.delivered?.(msg.envelope.payload.executionId, deviceId, performance.now());
          const raw = (json as { envelope?: { payload?: unknown } }).envelope?.payload;
          this.queue(() => this.receive(agent, msg.envelope, raw));
        },
      },
    });
    this.agents.push(agent);
    agent.client.start();
  }

  /**
   * Real agents verify and run on their own CPUs, so one agent's work never delays another's network reads. Here they
   * share one thread: work waits in a queue that is worked off a few milliseconds at a time, between reads.
   */
  private queue(work: () => void): void {
    this.work.push(work);
    if (this.work.length === 1) setImmediate(() => this.workOff());
  }

  private workOff(): void {
    const until = performance.now() + workSliceMs;
    let done = 0;
    while (done < this.work.length && performance.now() < until) this.work[done++]!();
    this.work.splice(0, done);
    if (this.work.length) setImmediate(() => this.workOff());
  }

  private receive(agent: VirtualAgent, envelope: Envelope, raw: unknown): void {
    const id = envelope.payload.executionId;
    const verdict = verifyEnvelope(envelope, raw, {
      deviceId: agent.deviceId,
      platform: 'linux',
      serverKey: this.options.serverKey,
      serverKeyId: this.options.serverKeyId,
      requirePublisherSignature: false,
      publisherKeys: [],
      seen: (executionId) => agent.seen.has(executionId),
      now: new Date(),
      // Real agents check a launch's one signature each, all at once on their own CPUs; here one check serves them
      // all (same key, same root, same signature: same verdict), so the simulator's one thread measures the backend,
      // not 10,000 Ed25519 verifications in a row. Each agent still hashes its own payload along its own path.
      rootVerdicts: this.rootVerdicts,
    });
    if (!verdict.ok) {
      this.events.refused?.(id, verdict.reason);
      agent.client.send({ type: 'refused', executionId: id, reason: verdict.reason, message: verdict.message });
      return;
    }
    this.events.verified?.(id, agent.deviceId, performance.now(), envelope);
    const behaviour = this.behaviour;
    if (behaviour.kind === 'disconnect') return void agent.client.stop().then(() => agent.client.start());
    agent.seen.add(id);
    const startedAt = new Date().toISOString();
    agent.client.send({ type: 'status', executionId: id, status: 'running', at: startedAt });
    this.events.started?.(id, agent.deviceId, performance.now());
    const finish = () => {
      const result: AgentResult = {
        type: 'result',
        executionId: id,
        status: behaviour.kind === 'succeed' ? 'succeeded' : 'failed',
        exitCode: behaviour.kind === 'succeed' ? 0 : 1,
        error: behaviour.kind === 'succeed' ? null : 'scripted failure',
        stdoutTail: 'done\n',
        stderrTail: '',
        outputs: behaviour.kind === 'succeed' ? (behaviour.outputs ?? {}) : {},
        truncated: false,
        startedAt,
        at: new Date().toISOString(),
      };
      agent.client.send(result);
      this.events.resultSent?.(id, performance.now());
    };
    if (behaviour.delayMs) setTimeout(finish, behaviour.delayMs);
    else finish();
  }
}
