/**
 * @module A small stand-in for the backend's side of the agent channel, for agent tests. It speaks the protocol
 * through the same schemas (`parseAgentMessage`, `Envelope`, `EnrollRequest`) and signs envelopes with a real
 * Ed25519 key, so the agent under test cannot tell it from the real thing. Control frames (`ack`, `cancel`, campaign
 * frames) are sealed for the device's current connection the way the backend seals them, unless a test sends raw bytes.
 */
import { createHash, createPublicKey, generateKeyPairSync, randomBytes, randomUUID, sign, verify, type KeyObject } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import {
  AGENT_CHANNEL_PATH,
  CHANNEL_MAX_MESSAGE_BYTES,
  EnrollRequest,
  PROTOCOL_VERSION,
  agentAuthMessage,
  canonicalJson,
  controlFrameTtlMs,
  controlSigningText,
  isControlFrameType,
  parseAgentMessage,
  type AgentMessage,
  type ControlBinding,
  type ControlBody,
  type Envelope,
  type EnvelopePayload,
  type ServerControl,
  type ServerMessage,
} from '@fixpoint/protocol';
import { currentPlatform } from '../exec/platform';

export interface LaunchSpec extends Partial<Omit<EnvelopePayload, 'v'>> {
  script: string;
  /** Seconds from now until the envelope expires (default 600). */
  expiresInSec?: number;
}

export interface Received {
  deviceId: string;
  message: AgentMessage;
}

interface DeviceRecord {
  publicKey: KeyObject;
  pending: Envelope[];
  socket: WebSocket | null;
  pulled: boolean;
  /** The challenge of the current connection, and the last control sequence number used on it. */
  nonce: string;
  seq: number;
}

export interface FakeServerOptions {
  /** Ack every result at once (default true). */
  autoAck?: boolean;
  /** Answer WebSocket pings (default true); false simulates a connection that went silent. */
  autoPong?: boolean;
}

const json = (status: number, body: unknown) => ({ status, body: JSON.stringify(body) });

export class FakeServer extends EventEmitter {
  readonly signingKey = generateKeyPairSync('ed25519');
  readonly publicKeyDer = this.signingKey.publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
  readonly keyId = createHash('sha256').update(Buffer.from(this.publicKeyDer, 'base64')).digest('hex').slice(0, 16);
  readonly devices = new Map<string, DeviceRecord>();
  readonly tokens = new Set(['enroll-token-0123456789']);
  readonly received: Received[] = [];
  /** Frames the server could not parse, with the error it answered. */
  readonly rejected: { deviceId: string | null; code: string }[] = [];
  autoAck: boolean;
  private readonly autoPong: boolean;
  connections = 0;
  private http: Server | null = null;
  private wss: WebSocketServer | null = null;
  port = 0;

  constructor(options: FakeServerOptions = {}) {
    super();
    this.autoAck = options.autoAck ?? true;
    this.autoPong = options.autoPong ?? true;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Listens on the previous port when restarted, so agents reconnect to the same URL. */
  async start(): Promise<void> {
    this.wss = new WebSocketServer({ noServer: true, maxPayload: CHANNEL_MAX_MESSAGE_BYTES * 2, autoPong: this.autoPong });
    this.http = createServer((req, res) => {
      void this.handleHttp(req).then(({ status, body }) => {
        res.writeHead(status, { 'content-type': 'application/json' }).end(body);
      });
    });
    this.http.on('upgrade', (req, socket, head) => {
      if (new URL(req.url ?? '/', 'http://x').pathname !== AGENT_CHANNEL_PATH) return socket.destroy();
      this.wss!.handleUpgrade(req, socket, head, (ws) => this.handleSocket(ws));
    });
    await new Promise<void>((resolve) => this.http!.listen(this.port, '127.0.0.1', resolve));
    this.port = (this.http.address() as AddressInfo).port;
  }

  /** Drops every connection and stops listening (a backend restart). */
  async stop(): Promise<void> {
    for (const client of this.wss?.clients ?? []) client.terminate();
    this.wss?.close();
    await new Promise<void>((resolve) => (this.http ? this.http.close(() => resolve()) : resolve()));
    this.http?.closeAllConnections();
    for (const d of this.devices.values()) Object.assign(d, { socket: null, pulled: false });
  }

  /** Registers a device directly (what enrollment does), returning its id. */
  addDevice(publicKeyDer: string, deviceId: string = randomUUID()): string {
    const publicKey = createPublicKey({ key: Buffer.from(publicKeyDer, 'base64'), format: 'der', type: 'spki' });
    this.devices.set(deviceId, { publicKey, pending: [], socket: null, pulled: false, nonce: '', seq: 0 });
    return deviceId;
  }

  private async handleHttp(req: IncomingMessage): Promise<{ status: number; body: string }> {
    if (req.method !== 'POST' || req.url !== '/api/v1/enroll') return json(404, { error: { code: 'not_found', message: 'no route' } });
    let text = '';
    for await (const chunk of req) text += chunk;
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return json(400, { error: { code: 'invalid_json', message: 'bad JSON' } });
    }
    const parsed = EnrollRequest.safeParse(body);
    if (!parsed.success) return json(400, { error: { code: 'validation_failed', message: parsed.error.issues[0]!.message } });
    if (!this.tokens.has(parsed.data.token)) return json(401, { error: { code: 'unauthenticated', message: 'unknown enrollment token' } });
    const deviceId = this.addDevice(parsed.data.publicKey);
    this.emit('enrolled', { deviceId, request: parsed.data });
    return json(201, { deviceId, serverPublicKey: this.publicKeyDer, serverKeyId: this.keyId, protocolVersion: PROTOCOL_VERSION });
  }

  private handleSocket(ws: WebSocket): void {
    this.connections++;
    const nonce = randomBytes(24).toString('base64url');
    let deviceId: string | null = null;
    const send = (m: ServerMessage | ControlBody) =>
      ws.send(JSON.stringify(deviceId && isControlFrameType(m.type) && !('signature' in m) ? this.seal(deviceId, m as ControlBody) : m));
    send({ type: 'challenge', nonce });
    ws.on('message', (data, isBinary) => {
      const parsed = isBinary ? null : parseAgentMessage(data.toString());
      if (!parsed || !parsed.ok) {
        const error = parsed && !parsed.ok ? parsed.error : { type: 'error' as const, code: 'protocol_error' as const, message: 'binary frame' };
        this.rejected.push({ deviceId, code: error.code });
        this.emit('rejected');
        return send(error);
      }
      const msg = parsed.message;
      if (!deviceId) {
        if (msg.type !== 'hello') return send({ type: 'error', code: 'protocol_error', message: 'say hello first' });
        const device = this.devices.get(msg.deviceId);
        const ok = device && verify(null, Buffer.from(agentAuthMessage(msg.deviceId, nonce)), device.publicKey, Buffer.from(msg.signature, 'base64'));
        if (!ok) {
          send({ type: 'error', code: 'unauthenticated', message: 'unknown device or bad signature' });
          return ws.close(1008, 'unauthenticated');
        }
        deviceId = msg.deviceId;
        device.socket?.terminate();
        Object.assign(device, { socket: ws, pulled: false, nonce, seq: 0 });
        send({ type: 'welcome', serverTime: new Date().toISOString() });
        this.emit('connected', deviceId);
        return;
      }
      const device = this.devices.get(deviceId)!;
      this.received.push({ deviceId, message: msg });
      if (msg.type === 'pull') {
        device.pulled = true;
        for (const envelope of device.pending) send({ type: 'execute', envelope });
      } else if (msg.type === 'result' || msg.type === 'refused') {
        device.pending = device.pending.filter((e) => e.payload.executionId !== msg.executionId);
        if (msg.type === 'result' && this.autoAck) send({ type: 'ack', executionId: msg.executionId });
      }
      this.emit('message', { deviceId, message: msg });
    });
    ws.on('close', () => {
      const device = deviceId ? this.devices.get(deviceId) : undefined;
      if (device?.socket === ws) Object.assign(device, { socket: null, pulled: false });
    });
  }

  /** Signs a payload the way the backend does: Ed25519 over its canonical JSON. */
  sign(payload: EnvelopePayload, script: string): Envelope {
    const signature = sign(null, Buffer.from(canonicalJson(payload)), this.signingKey.privateKey).toString('base64');
    return { payload, script, signature, keyId: this.keyId };
  }

  /** Builds and signs an envelope for `deviceId` with sensible defaults. */
  envelope(deviceId: string, spec: LaunchSpec): Envelope {
    const { script, expiresInSec = 600, ...rest } = spec;
    const now = Date.now();
    const payload: EnvelopePayload = {
      v: 1,
      executionId: randomUUID(),
      deviceId,
      actionSlug: 'test-action',
      actionVersionId: randomUUID(),
      platform: currentPlatform(),
      shell: currentPlatform() === 'windows' ? 'powershell' : 'sh',
      scriptSha256: createHash('sha256').update(script, 'utf8').digest('hex'),
      runAs: 'system',
      parameters: {},
      secretParameters: [],
      outputs: [],
      timeoutSec: 30,
      outputCapBytes: 64 * 1024,
      issuedAt: new Date(now).toISOString(),
      expiresAt: new Date(now + expiresInSec * 1000).toISOString(),
      ...rest,
    };
    return this.sign(payload, script);
  }

  /**
   * Seals a control frame for the device's current connection, as the backend does; `binding` overrides parts of the
   * binding (another device, an old expiry, a reused sequence number) to make frames the agent must refuse.
   */
  seal<T extends ControlBody>(deviceId: string, body: T, binding: Partial<ControlBinding> = {}): T & Omit<ServerControl, keyof ControlBody> {
    const device = this.devices.get(deviceId)!;
    const frame = {
      ...body,
      binding: {
        deviceId,
        connection: device.nonce,
        seq: binding.seq ?? ++device.seq,
        expiresAt: new Date(Date.now() + controlFrameTtlMs).toISOString(),
        ...binding,
      },
      keyId: this.keyId,
    };
    const signature = sign(null, Buffer.from(controlSigningText(frame)), this.signingKey.privateKey).toString('base64');
    return { ...frame, signature };
  }

  /** Queues an envelope for the device and pushes it at once when the device is connected and has pulled. */
  launch(deviceId: string, spec: LaunchSpec | Envelope): Envelope {
    const envelope = 'payload' in spec ? spec : this.envelope(deviceId, spec);
    const device = this.devices.get(deviceId)!;
    device.pending.push(envelope);
    if (device.socket && device.pulled) device.socket.send(JSON.stringify({ type: 'execute', envelope }));
    return envelope;
  }

  /** Sends any frame to a connected device (for hostile-input tests). */
  sendRaw(deviceId: string, frame: string | Buffer, binary = false): void {
    this.devices.get(deviceId)?.socket?.send(frame, { binary });
  }

  /** Sends a message to a connected device; a control frame without a signature is sealed first. */
  send(deviceId: string, message: ServerMessage | ControlBody): void {
    const sealed = isControlFrameType(message.type) && !('signature' in message) ? this.seal(deviceId, message as ControlBody) : message;
    this.sendRaw(deviceId, JSON.stringify(sealed));
  }

  messages<T extends AgentMessage['type']>(type: T, executionId?: string): Extract<AgentMessage, { type: T }>[] {
    return this.received
      .map((r) => r.message)
      .filter((m): m is Extract<AgentMessage, { type: T }> => m.type === type)
      .filter((m) => executionId === undefined || (m as { executionId?: string }).executionId === executionId);
  }

  /** Resolves with the first message of `type` (for `executionId`) received so far or later. */
  async waitFor<T extends AgentMessage['type']>(type: T, executionId?: string, timeoutMs = 20_000): Promise<Extract<AgentMessage, { type: T }>> {
    const found = () => this.messages(type, executionId)[0];
    return waitUntil(found, timeoutMs, `${type}${executionId ? ` for ${executionId}` : ''}`);
  }
}

/** Polls `probe` until it returns something truthy. */
export async function waitUntil<T>(probe: () => T | undefined | null | false, timeoutMs = 20_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
