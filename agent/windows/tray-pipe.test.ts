/**
 * The tray's named pipe of the Windows agent, for real: the bundle on node.exe under Wine opens a pipe for the session
 * user, and a tray stand-in (`pipe-client.mjs`, on the same node.exe under Wine, where the pipe is visible) speaks the
 * tray protocol on it. Wine has neither PowerShell nor `query user`, so the session user is named by the test-only
 * FIXPOINT_AGENT_CONSOLE_USER and FIXPOINT_AGENT_CONSOLE_USER_SID; everything after that is the agent's Windows path:
 * the secret in %ProgramData%, the pipe named by its tag and open to every account, the hello, the relayed prompt, sealed
 * after the welcome, and the connection closed over a sealed line a relay changed.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { sampleCampaign } from '../../backend/src/testing/campaigns';
import { enrollmentToken, startLiveBackend, waitUntil, type LiveBackend } from '../../backend/src/testing/live';
import { windowsPipeName } from '@fixpoint/protocol/tray-crypto';
import { startWineNode, WineAgent, winePath } from './wine';

const runtime = inject('windows');
const sid = 'S-1-5-21-1004336348-1177238915-682003330-1001';
const user = 'FIXPOINT\\ana';
const client = fileURLToPath(new URL('./pipe-client.mjs', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'fixpoint-wine-pipe-'));
// Wine sets %ProgramData% itself: C:\ProgramData, in the prefix; on Windows it is the machine's.
const programData = runtime?.prefix ? join(runtime.prefix, 'drive_c', 'ProgramData') : (process.env.ProgramData ?? 'C:\\ProgramData');
const secretDir = runtime ? join(programData, 'Fixpoint', 'tray', sid) : '';
const tokenFile = join(secretDir, 'token');
let live: LiveBackend;
let agent: WineAgent;

const quickCheck = {
  ...sampleCampaign({ slug: 'quick-check', name: 'Quick check', parameters: [], expirySec: 600 }),
  questions: [{ id: 'ok', type: 'single', text: { en: 'All good?' }, choices: [{ id: 'yes', label: { en: 'Yes' } }, { id: 'no', label: { en: 'No' } }] }],
  finalMessage: { en: 'Thanks' },
};

beforeAll(async () => {
  if (!runtime) return;
  rmSync(secretDir, { recursive: true, force: true });
  live = await startLiveBackend({ expirySweepMs: 60_000 });
  expect((await live.api('POST', '/campaigns', quickCheck)).status).toBe(201);
  expect((await live.api('POST', '/campaigns/quick-check/publish')).status).toBe(200);
  agent = new WineAgent(runtime, { FIXPOINT_AGENT_CONSOLE_USER: user, FIXPOINT_AGENT_CONSOLE_USER_SID: sid });
  await agent.enroll(live.url, await enrollmentToken(live.api));
  agent.start();
  await waitUntil(() => live.backend.ctx.dispatcher.isOnline(agent.deviceId), 30_000, `the agent connected; its log:\n${agent.log}`);
}, 180_000);

beforeEach((ctx) => {
  if (!runtime) ctx.skip('wine64 is not installed');
});

afterAll(async () => {
  await agent?.dispose();
  await live?.stop();
  rmSync(work, { recursive: true, force: true });
  if (secretDir) rmSync(secretDir, { recursive: true, force: true });
});

/** Starts the tray stand-in (see pipe-client.mjs); `lines` are the messages and events it printed so far. */
function tray(pipe: string, secret: string, mode: 'proof' | 'token' | 'flip', answer?: Record<string, unknown>) {
  const run = startWineNode(runtime!, work, [winePath(client), pipe, secret, mode, ...(answer ? [JSON.stringify(answer)] : [])]);
  const lines = () =>
    run
      .read('stdout')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Record<string, unknown>);
  return { run, lines, stop: () => run.child.kill('SIGKILL') };
}
const challenge = { type: 'challenge', nonce: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) };

describe('the tray pipe of the Windows agent under Wine', () => {
  it('writes the secret, listens on the pipe its tag names, and refuses a wrong secret and the secret sent as itself', async () => {
    // The agent writes the secret, then listens: once it says it listens, the file is whole (read earlier, it may be empty).
    await waitUntil(() => agent.log.includes('tray ipc: listening for a user'), 30_000, `the pipe opened; the agent's log:\n${agent.log}`);
    expect(existsSync(tokenFile)).toBe(true);
    const token = readFileSync(tokenFile, 'utf8').trim();
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const listening = agent.log.split('\n').find((l) => l.includes('tray ipc: listening for a user'))!;
    expect(JSON.parse(listening)).toMatchObject({ user, socket: windowsPipeName(sid, token) });

    const wrong = tray(windowsPipeName(sid, token), `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`, 'proof');
    await wrong.run.done;
    expect(wrong.lines(), wrong.run.read('stderr')).toEqual([
      { event: 'connected' },
      challenge,
      { type: 'error', code: 'unauthenticated', message: 'wrong secret' },
      { event: 'closed' },
    ]);
    // the right secret, sent as itself: never taken on a pipe
    const plain = tray(windowsPipeName(sid, token), token, 'token');
    await plain.run.done;
    expect(plain.lines().slice(1, 3)).toEqual([challenge, { type: 'error', code: 'unauthenticated', message: 'a proof of the secret is required, never the secret' }]);
    // the pipe without its tag is not there
    const untagged = tray(`\\\\.\\pipe\\fixpoint-${sid}`, token, 'proof');
    await untagged.run.done;
    expect(untagged.lines()[0]).toMatchObject({ event: 'error', code: 'ENOENT' });
  });

  it('welcomes a tray that proves the secret with its own proof, relays a campaign prompt from the backend to it and its answer back, every line after the welcome sealed', async () => {
    const token = readFileSync(tokenFile, 'utf8').trim();
    const good = tray(windowsPipeName(sid, token), token, 'proof', { state: 'fully', answers: { ok: ['yes'] } });
    try {
      await waitUntil(() => good.lines().some((l) => l.type === 'welcome'), 30_000, `a welcome; the tray printed:\n${good.run.read('stdout')}${good.run.read('stderr')}`);
      expect(good.lines().find((l) => l.event === 'verified' || l.event === 'forged')).toEqual({ event: 'verified' });
      const triggered = await live.api('POST', '/campaigns/quick-check/trigger', { devices: [agent.deviceId] });
      expect(triggered.status, JSON.stringify(triggered.body)).toBe(200);
      const requestId = triggered.body.results[0].requests[0].requestId as string;
      const prompt = await waitUntil(
        () => good.lines().find((l) => l.type === 'prompt'),
        30_000,
        `the prompt on the pipe; the agent's log:\n${agent.log}`,
      );
      expect(prompt).toMatchObject({ type: 'prompt', request: { requestId, source: 'server', campaign: { slug: 'quick-check' } } });
      // the answer went from the pipe through the agent to the backend, as the session user's
      const stored = await waitUntil(
        async () => (await live.api('GET', '/campaigns/quick-check/responses')).body.items.find((r: { requestId: string }) => r.requestId === requestId),
        30_000,
        `the response stored; the agent's log:\n${agent.log}`,
      );
      expect(stored).toMatchObject({ state: 'fully', answers: { ok: ['yes'] }, user, deviceId: agent.deviceId });
      expect(good.lines().filter((l) => l.type === 'error')).toEqual([]);
      // nothing after the welcome came plain: each line was the next one sealed, the prompt among them
      const messages = good.lines().filter((l) => l.type);
      const afterWelcome = messages.slice(messages.findIndex((l) => l.type === 'welcome') + 1);
      expect(afterWelcome.map((l) => l.sealed)).toEqual(afterWelcome.map((_, seq) => seq));
      expect(prompt.sealed).toEqual(expect.any(Number));
    } finally {
      good.stop();
    }
  });

  it('closes the connection when a sealed line comes with one byte changed, as a relay of the pipe would change it', async () => {
    const token = readFileSync(tokenFile, 'utf8').trim();
    const relayed = tray(windowsPipeName(sid, token), token, 'flip');
    try {
      await relayed.run.done;
      const lines = relayed.lines();
      expect(lines.find((l) => l.event === 'verified' || l.event === 'forged')).toEqual({ event: 'verified' });
      expect(lines).toContainEqual({ event: 'flipped', seq: 0 });
      // the agent's last word, sealed still, names why; then the pipe closes
      expect(lines.filter((l) => l.type === 'error')).toEqual([
        { type: 'error', code: 'protocol_error', message: expect.stringContaining('sealed line 0 does not open'), sealed: expect.any(Number) },
      ]);
      expect(lines.at(-1)).toEqual({ event: 'closed' });
      await waitUntil(() => agent.log.includes('tray ipc: closed a connection'), 10_000, `the agent logged why; its log:\n${agent.log}`);
      expect(agent.log).not.toContain(token);
    } finally {
      relayed.stop();
    }
  });
});
