/**
 * @module Helpers for tests against a listening backend: start one in-process on a real port (PGlite in a temp
 * dir, copied from the migrated template, or a given PostgreSQL URL), call its API as the admin, and drive the
 * agent channel with a raw WebSocket client that speaks the protocol by hand (`RawAgent`), so tests can also send
 * what a real agent never would.
 */
import { createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import {
  AGENT_CHANNEL_PATH, PROTOCOL_VERSION, agentAuthMessage, controlSigningText, isControlFrameType, parseServerMessage,
  type AgentMessage, type ServerControl, type ServerMessage,
} from '@fixpoint/protocol';
import { loadConfig } from '../config';
import { startBackend, type RunningBackend, type StartBackendOptions } from '../server';
import { postgresAdminUrl, testPasswordHashing } from './harness';
import { seedMigratedDataDir } from './pglite-template';
import { waitUntil } from './wait';

export const adminPassword = 'admin-password-123';

export interface LiveBackend {
  backend: RunningBackend;
  url: string;
  dataDir: string;
  /** The PostgreSQL database's URL (undefined on PGlite). */
  databaseUrl: string | undefined;
  /** JSON call as the admin (session cookie). */
  api(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }>;
  stop(): Promise<void>;
}

export interface LiveBackendOptions extends StartBackendOptions {
  dataDir?: string;
  port?: number;
  databaseUrl?: string;
  /**
   * `postgres`: a fresh database on the local server, migrated at start and dropped on stop (unless `databaseUrl`
   * names one, as a second instance does). Default PGlite in the data dir.
   */
  database?: 'pglite' | 'postgres';
  /** Another instance on the same database: its database and its envelope key (every instance signs with the same). */
  shareWith?: LiveBackend;
  /** Keep the data dir on stop (for a restart on the same data). */
  keepData?: boolean;
  /** More configuration variables, as the environment would give them. */
  env?: Record<string, string>;
}

/** Starts a backend in this process on 127.0.0.1 (port 0 unless given) and signs in as the admin. */
export async function startLiveBackend(options: LiveBackendOptions = {}): Promise<LiveBackend> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'fixpoint-live-'));
  if (options.shareWith) cpSync(join(options.shareWith.dataDir, 'keys'), join(dataDir, 'keys'), { recursive: true });
  const own = !options.databaseUrl && !options.shareWith && options.database === 'postgres' ? await createLiveDatabase() : undefined;
  const databaseUrl = options.databaseUrl ?? options.shareWith?.databaseUrl ?? own?.url;
  if (!databaseUrl) await seedMigratedDataDir(dataDir);
  const config = {
    ...loadConfig({ FIXPOINT_DATA_DIR: dataDir, FIXPOINT_LOG_LEVEL: process.env.FIXPOINT_TEST_LOG ?? 'silent', PORT: String(options.port ?? 0), FIXPOINT_REQUIRE_APPROVAL: 'false', ...options.env }),
    adminPassword,
    databaseUrl,
    passwordHashing: testPasswordHashing,
  };
  const backend = await startBackend(config, options).catch(async (error: unknown) => {
    await own?.drop();
    throw error;
  });
  const cookie = await login(backend.url, adminPassword);
  return {
    backend,
    url: backend.url,
    dataDir,
    databaseUrl,
    api: (method, path, body) => apiCall(backend.url, { cookie }, method, path, body),
    async stop() {
      await backend.stop();
      await own?.drop();
      if (!options.keepData) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** An empty database on the local PostgreSQL server (the backend migrates it at start), dropped by `drop`. */
async function createLiveDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const { default: postgres } = await import('postgres');
  const name = `fixpoint_live_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = postgres(postgresAdminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(postgresAdminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}

export async function login(url: string, password: string): Promise<string> {
  const res = await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'admin@fixpoint.local', password }),
  });
  if (res.status !== 200) throw new Error(`login failed: ${res.status}`);
  return res.headers.get('set-cookie')!.split(';')[0]!;
}

export async function apiCall(url: string, headers: Record<string, string>, method: string, path: string, body?: unknown) {
  const res = await fetch(`${url}/api/v1${path}`, {
    method,
    headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    /* not JSON */
  }
  return { status: res.status, body: parsed as any };
}

/** Creates a multi-use enrollment token as the admin and returns it. */
export async function enrollmentToken(api: LiveBackend['api']): Promise<string> {
  const res = await api('POST', '/enrollment-tokens', { oneTime: false, description: 'tests' });
  if (res.status !== 201) throw new Error(`token: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.token;
}

export { waitUntil };

/** An agent driven by hand: enrolls over HTTP, then speaks the channel protocol frame by frame. */
export class RawAgent {
  readonly received: ServerMessage[] = [];
  /** Frames that did not parse as server messages. */
  readonly unparsed: string[] = [];
  ws: WebSocket | null = null;
  closed: { code: number; reason: string } | null = null;
  nonce = '';
  /** Control frames whose seal did not hold as a real agent checks it (signature, device, connection, order, expiry). */
  readonly badSeals: string[] = [];
  private lastSeq = 0;

  constructor(
    readonly url: string,
    readonly deviceId: string,
    readonly key: KeyObject,
    /** The server key pinned at enrollment, when known: control frames are checked against it. */
    readonly serverKey: KeyObject | null = null,
  ) {}

  static async enroll(url: string, token: string, name = 'raw-agent', platform = 'linux'): Promise<RawAgent> {
    const { publicKey, privateKey } = generateKeyPairSync('ed25519');
    const res = await apiCall(url, {}, 'POST', '/enroll', {
      token, name, platform, osVersion: '1', agentVersion: '0.0.1-raw',
      publicKey: publicKey.export({ type: 'spki', format: 'der' }).toString('base64'),
    });
    if (res.status !== 201) throw new Error(`enroll: ${res.status} ${JSON.stringify(res.body)}`);
    const serverKey = createPublicKey({ key: Buffer.from(res.body.serverPublicKey, 'base64'), format: 'der', type: 'spki' });
    return new RawAgent(url, res.body.deviceId, privateKey, serverKey);
  }

  /** Why a control frame would be refused by a real agent on this connection, or null. */
  private sealProblem(msg: ServerControl, json: unknown): string | null {
    if (!this.serverKey) return null;
    if (!verify(null, Buffer.from(controlSigningText(json as object)), this.serverKey, Buffer.from(msg.signature, 'base64')))
      return `${msg.type}: bad signature`;
    const { deviceId, connection, seq, expiresAt } = msg.binding;
    if (deviceId !== this.deviceId) return `${msg.type}: for device ${deviceId}`;
    if (connection !== this.nonce) return `${msg.type}: for another connection`;
    if (seq <= this.lastSeq) return `${msg.type}: sequence ${seq} after ${this.lastSeq}`;
    if (Date.parse(expiresAt) <= Date.now()) return `${msg.type}: expired`;
    this.lastSeq = seq;
    return null;
  }

  /** Opens the socket and waits for the challenge (does not answer it). */
  async open(): Promise<void> {
    this.received.length = 0;
    this.closed = null;
    this.lastSeq = 0;
    const ws = new WebSocket(`${this.url.replace(/^http/, 'ws')}${AGENT_CHANNEL_PATH}`, { maxPayload: 64 * 1024 * 1024 });
    this.ws = ws;
    ws.on('message', (data) => {
      const text = data.toString();
      const parsed = parseServerMessage(text);
      if (!parsed.ok) return void this.unparsed.push(text);
      const problem = isControlFrameType(parsed.message.type) ? this.sealProblem(parsed.message as ServerControl, parsed.json) : null;
      if (problem) this.badSeals.push(problem);
      this.received.push(parsed.message);
    });
    ws.on('close', (code, reason) => (this.closed = { code, reason: reason.toString() }));
    ws.on('error', () => {});
    const challenge = await this.waitFor('challenge');
    this.nonce = challenge.nonce;
  }

  /** Opens, answers the challenge with a good signature, and waits for the welcome. Pulls unless told not to. */
  async connect(options: { pull?: boolean } = {}): Promise<void> {
    await this.open();
    this.send(this.hello());
    await this.waitFor('welcome');
    if (options.pull !== false) this.send({ type: 'pull' });
  }

  hello(overrides: Partial<Extract<AgentMessage, { type: 'hello' }>> = {}): Extract<AgentMessage, { type: 'hello' }> {
    const deviceId = overrides.deviceId ?? this.deviceId;
    const signature = sign(null, Buffer.from(agentAuthMessage(deviceId, this.nonce)), this.key).toString('base64');
    return { type: 'hello', deviceId, signature, agentVersion: '0.0.1-raw', protocolVersion: PROTOCOL_VERSION, ...overrides };
  }

  /** Sends any frame, well-formed or not (tests send malformed ones on purpose). */
  send(message: object): void {
    this.sendRaw(JSON.stringify(message));
  }

  sendRaw(frame: string | Buffer, binary = false): void {
    this.ws!.send(frame, { binary });
  }

  of<T extends ServerMessage['type']>(type: T): Extract<ServerMessage, { type: T }>[] {
    return this.received.filter((m): m is Extract<ServerMessage, { type: T }> => m.type === type);
  }

  async waitFor<T extends ServerMessage['type']>(
    type: T,
    where: (m: Extract<ServerMessage, { type: T }>) => boolean = () => true,
    timeoutMs = 10_000,
  ): Promise<Extract<ServerMessage, { type: T }>> {
    return waitUntil(() => this.of(type).find(where), timeoutMs, `${type} on ${this.deviceId}`);
  }

  async waitClosed(timeoutMs = 10_000): Promise<{ code: number; reason: string }> {
    return waitUntil(() => this.closed, timeoutMs, 'close');
  }

  async close(): Promise<void> {
    const ws = this.ws;
    if (!ws || ws.readyState === WebSocket.CLOSED) return;
    await new Promise<void>((resolve) => {
      ws.once('close', () => resolve());
      ws.terminate();
    });
  }
}
