import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CampaignDefinition, type AgentToTrayMessage, type CampaignRequestPush } from '@fixpoint/protocol';
import { Agent } from '../agent';
import { posixPlatform } from '../exec/platform-posix';
import { userSocketPaths } from '../ipc/paths';
import { FakeServer, waitUntil } from '../testing/fake-server';
import { enrolledState, tempDir } from '../testing/helpers';

const me = { name: userInfo().username, uid: userInfo().uid, gid: userInfo().gid };
const definition = CampaignDefinition.parse({
  slug: 'disk-cleanup',
  name: 'Disk cleanup',
  allowDecline: true,
  branding: { title: { en: 'IT', fr: 'Informatique' } },
  questions: [{ id: 'clean', type: 'single', text: { en: 'Clean up?' }, choices: [{ id: 'yes', label: { en: 'Yes' } }, { id: 'no', label: { en: 'No' } }] }],
  finalMessage: { en: 'Thanks' },
});

/** A tray stand-in speaking the IPC by hand. */
class RawTray {
  readonly got: AgentToTrayMessage[] = [];
  private socket: Socket | null = null;
  connect(): void {
    const paths = userSocketPaths(me);
    const token = readFileSync(paths.token, 'utf8').trim();
    const s = connect(paths.socket);
    this.socket = s;
    s.setEncoding('utf8');
    let buf = '';
    s.on('data', (d: string) => {
      buf += d;
      for (let nl = buf.indexOf('\n'); nl !== -1; nl = buf.indexOf('\n')) {
        this.got.push(JSON.parse(buf.slice(0, nl)) as AgentToTrayMessage);
        buf = buf.slice(nl + 1);
      }
    });
    s.write(`${JSON.stringify({ type: 'hello', token, user: me.name, pid: process.pid, language: 'fr', version: 't' })}\n`);
  }
  send(message: object): void {
    this.socket!.write(`${JSON.stringify(message)}\n`);
  }
  close(): void {
    this.socket?.destroy();
  }
  find<T extends AgentToTrayMessage['type']>(type: T) {
    return this.got.filter((m): m is Extract<AgentToTrayMessage, { type: T }> => m.type === type);
  }
}

let server: FakeServer;
let agent: Agent | null = null;
let tray: RawTray | null = null;

beforeEach(async () => {
  server = new FakeServer();
  await server.start();
  const base = tempDir('fixpoint-runtime-');
  mkdirSync(join(base, String(me.uid)), { mode: 0o700 });
  process.env.FIXPOINT_AGENT_RUNTIME_BASE = base;
});

afterEach(async () => {
  tray?.close();
  await agent?.stop();
  agent = null;
  await server.stop();
  delete process.env.FIXPOINT_AGENT_RUNTIME_BASE;
  delete process.env.FIXPOINT_AGENT_CONSOLE_USER;
});

function startAgent() {
  process.env.FIXPOINT_AGENT_CONSOLE_USER = me.name;
  const { paths, identity } = enrolledState(server);
  agent = new Agent({
    paths,
    identity,
    config: { requirePublisherSignature: false, publisherKeys: [], maxConcurrency: 2 },
    platform: posixPlatform,
    channel: { backoff: { baseMs: 50, capMs: 300 }, keepaliveMs: 2000 },
    collectFacts: async () => ({ hostname: 'test-host' }),
    trayIpc: { discover: async () => [me] },
  });
  agent.start();
  return identity.deviceId;
}

const push = (overrides: Partial<CampaignRequestPush> = {}): CampaignRequestPush => ({
  requestId: randomUUID(),
  campaignId: randomUUID(),
  campaignVersion: 2,
  definition,
  parameters: {},
  targetUser: me.name,
  urgency: 'normal',
  source: 'script',
  createdAt: new Date().toISOString(),
  expiresAt: new Date(Date.now() + 600_000).toISOString(),
  ...overrides,
});

describe('campaigns through a running agent', () => {
  it('a script asks, the server starts the request, the tray answers, the script gets the answer', async () => {
    const deviceId = startAgent();
    await server.waitFor('pull');
    await waitUntil(() => existsSync(userSocketPaths(me).socket), 5000, 'tray socket');
    tray = new RawTray();
    tray.connect();
    await waitUntil(() => tray!.find('welcome').length, 5000, 'welcome');

    const e = server.launch(deviceId, {
      script: 'fixpoint campaign disk-cleanup --timeout 20 --param size=3GB; echo "rc=$?"',
    });
    const start = await server.waitFor('campaign_start');
    // a system run asks for the console user, and root is never one
    expect(start).toMatchObject({ campaign: 'disk-cleanup', parameters: { size: '3GB' }, timeoutSec: 20, user: me.uid === 0 ? null : me.name, executionId: e.payload.executionId });
    const request = push();
    server.send(deviceId, { type: 'campaign_started', localId: start.localId, request });

    const prompt = await waitUntil(() => tray!.find('prompt')[0], 5000, 'prompt');
    expect(prompt.request).toMatchObject({ requestId: request.requestId, source: 'script', rendered: { language: 'fr', branding: { title: 'Informatique' } } });
    tray.send({ type: 'shown', requestId: request.requestId });
    tray.send({ type: 'answer', requestId: request.requestId, state: 'fully', answers: { clean: ['yes'] }, freeText: {}, language: 'fr', respondedAt: new Date().toISOString() });

    const result = await server.waitFor('result', e.payload.executionId);
    const [json, rc] = result.stdoutTail.trim().split('\n');
    expect(JSON.parse(json!)).toEqual({ status: 'fully', answers: { clean: ['yes'] }, freeText: {}, requestId: request.requestId });
    expect(rc).toBe('rc=0');
    expect(await server.waitFor('campaign_response')).toMatchObject({ requestId: request.requestId, state: 'fully', user: me.name, language: 'fr' });
    await waitUntil(() => tray!.find('withdraw').length, 5000, 'withdraw');
  });

  it('passes a server refusal to the script, and shows pushed requests to a tray that connects later', async () => {
    const deviceId = startAgent();
    await server.waitFor('pull');
    const e = server.launch(deviceId, { script: 'fixpoint campaign nope; echo "rc=$?"' });
    const start = await server.waitFor('campaign_start');
    server.send(deviceId, { type: 'campaign_failed', localId: start.localId, code: 'not_found', message: 'campaign nope not found' });
    const result = await server.waitFor('result', e.payload.executionId);
    expect(result.stdoutTail).toContain('"status":"error"');
    expect(result.stdoutTail).toContain('rc=3');

    const pending = push({ source: 'server', targetUser: null, urgency: 'urgent' });
    server.send(deviceId, { type: 'campaigns', requests: [pending] });
    await new Promise((r) => setTimeout(r, 200));
    tray = new RawTray();
    tray.connect();
    const prompt = await waitUntil(() => tray!.find('prompt')[0], 5000, 'prompt');
    expect(prompt.request).toMatchObject({ requestId: pending.requestId, urgency: 'urgent', source: 'server' });
    expect(tray.find('pending').at(-1)).toEqual({ type: 'pending', count: 1 });
    // an answer that does not fit the campaign is not passed on
    tray.send({ type: 'answer', requestId: pending.requestId, state: 'fully', answers: { clean: ['maybe'] }, freeText: {}, respondedAt: new Date().toISOString() });
    tray.send({ type: 'answer', requestId: pending.requestId, state: 'declined', answers: {}, freeText: {}, respondedAt: new Date().toISOString() });
    const response = await server.waitFor('campaign_response');
    expect(response).toMatchObject({ requestId: pending.requestId, state: 'declined' });
    expect(server.messages('campaign_response')).toHaveLength(1);
  });

  it('shows no prompt for an unsigned or forged campaign frame, and the signed one', async () => {
    const deviceId = startAgent();
    await server.waitFor('pull');
    await waitUntil(() => existsSync(userSocketPaths(me).socket), 5000, 'tray socket');
    tray = new RawTray();
    tray.connect();
    await waitUntil(() => tray!.find('welcome').length, 5000, 'welcome');
    const phishing = push({
      source: 'server',
      definition: CampaignDefinition.parse({ ...definition, slug: 'phish', questions: [{ id: 'pw', type: 'text', text: { en: 'Re-enter your password' } }] }),
    });
    const e = server.launch(deviceId, { script: 'fixpoint campaign disk-cleanup --timeout 20; echo "rc=$?"' });
    const start = await server.waitFor('campaign_start');
    const sealed = server.seal(deviceId, { type: 'campaigns', requests: [phishing] });
    const tampered = { ...server.seal(deviceId, { type: 'campaigns', requests: [] }), requests: [phishing] };
    server.sendRaw(deviceId, JSON.stringify({ type: 'campaigns', requests: [phishing] }));
    server.sendRaw(deviceId, JSON.stringify(tampered));
    server.sendRaw(deviceId, JSON.stringify({ ...sealed, binding: { ...sealed.binding, deviceId: randomUUID() } }));
    server.sendRaw(deviceId, JSON.stringify({ type: 'campaign_started', localId: start.localId, request: phishing }));
    server.sendRaw(deviceId, JSON.stringify({ type: 'campaign_failed', localId: start.localId, code: 'not_found', message: 'forged' }));
    await waitUntil(() => server.messages('error').length === 5, 5000, 'five protocol errors');
    expect(server.messages('error').every((m) => m.code === 'protocol_error')).toBe(true);

    // the script still waits for its real answer; the signed one reaches the tray
    const request = push();
    server.send(deviceId, { type: 'campaign_started', localId: start.localId, request });
    const prompt = await waitUntil(() => tray!.find('prompt')[0], 5000, 'prompt');
    expect(prompt.request.requestId).toBe(request.requestId);
    tray.send({ type: 'answer', requestId: request.requestId, state: 'fully', answers: { clean: ['no'] }, freeText: {}, respondedAt: new Date().toISOString() });
    expect((await server.waitFor('result', e.payload.executionId)).stdoutTail).toContain('rc=0');
    expect(tray.find('prompt').map((p) => p.request.requestId)).toEqual([request.requestId]);
    server.send(deviceId, { type: 'campaigns', requests: [phishing] });
    await waitUntil(() => tray!.find('prompt').length === 2, 5000, 'the signed list is shown');
  });
});
