// @vitest-environment node
// The tray's side of the Windows hello: the agent challenges, the tray proves the secret and checks the agent's proof;
// after the welcome every line either way is sealed.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AgentLink } from './agent-link';
import { helloProof, lineSeal, sealKey } from '@fixpoint/protocol/tray-crypto';

const dir = mkdtempSync(join(tmpdir(), 'fixpoint-sealed-'));
const tokenFile = join(dir, 'token');
const secret = 'K'.repeat(43);
const agentNonce = 'N'.repeat(43);
writeFileSync(tokenFile, `${secret}\n`);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Seal = ReturnType<typeof lineSeal>;
/** Two sealed `pending` lines: what an honest agent sends after its welcome. */
const sealedPending = (seal: Seal) => [seal.seal('{"type":"pending","count":2}'), seal.seal('{"type":"pending","count":3}')];

/**
 * A challenging stand-in agent: welcomes every hello, with the proof `welcomeProof` makes, then sends the lines `after`
 * makes with the connection's seal; `received` holds what the tray sent after its hello, opened.
 */
function challenger(name: string, welcomeProof: (hello: Record<string, unknown>) => string, after: (seal: Seal) => string[] = sealedPending) {
  const socket = join(dir, name);
  const hellos: Record<string, unknown>[] = [];
  const received: unknown[] = [];
  const open = new Set<Socket>();
  const server: Server = createServer((s) => {
    open.add(s);
    s.setEncoding('utf8');
    s.write(`${JSON.stringify({ type: 'challenge', nonce: agentNonce })}\n`);
    let buf = '';
    let seal: Seal | null = null;
    s.on('data', (d: string) => {
      buf += d;
      for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
        const line = JSON.parse(buf.slice(0, nl)) as Record<string, unknown>;
        buf = buf.slice(nl + 1);
        if (seal) {
          const opened = seal.open(line.seq as number, line.box as string);
          received.push(opened.ok ? JSON.parse(opened.line) : opened.why);
          continue;
        }
        if (line.type !== 'hello') continue;
        hellos.push(line);
        seal = lineSeal(sealKey(secret, agentNonce, line.nonce as string), 'agent');
        const welcome = JSON.stringify({ type: 'welcome', agentVersion: '9.9.9', proof: welcomeProof(line) });
        s.write([welcome, ...after(seal)].map((l) => `${l}\n`).join(''));
      }
    });
  });
  const listening = new Promise<void>((resolve) => server.listen(socket, resolve));
  const stop = () => new Promise<void>((r) => (server.close(() => r()), open.forEach((s) => s.destroy())));
  return { socket, hellos, received, listening, stop };
}

const until = async (check: () => boolean, ms = 5000) => {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe('the Windows hello, tray side', () => {
  it('answers the challenge with a proof, never the secret, and takes prompts once the agent proved the secret back', async () => {
    const agent = challenger('honest.sock', (h) => helloProof(secret, 'agent', agentNonce, h.nonce as string));
    await agent.listening;
    const got: unknown[] = [];
    const link = new AgentLink({ endpoint: async () => ({ socket: agent.socket, token: tokenFile, sealed: true }), version: '1.0', onMessage: (m) => got.push(m), minDelayMs: 20 });
    link.start();
    await until(() => link.connected && got.length === 2);
    const hello = agent.hellos[0]!;
    expect(hello.token).toBeUndefined();
    expect(hello.proof).toBe(helloProof(secret, 'tray', agentNonce, hello.nonce as string));
    expect(got).toEqual([
      { type: 'pending', count: 2 },
      { type: 'pending', count: 3 },
    ]);
    // and what the tray sends is sealed: the stand-in opens it with its own seal, as the next line due
    const shown = { type: 'shown', requestId: '00000000-0000-4000-8000-000000000001' } as const;
    expect(link.send(shown)).toBe(true);
    await until(() => agent.received.length === 1);
    expect(agent.received).toEqual([shown]);
    link.stop();
    await agent.stop();
  });

  it('leaves a pipe whose server cannot prove the secret, reading nothing it sends', async () => {
    // a squatter on the pipe: it saw the hello, but without the secret its welcome proof is a guess
    const squatter = challenger('squatter.sock', () => 'f'.repeat(64));
    await squatter.listening;
    const got: unknown[] = [];
    const link = new AgentLink({ endpoint: async () => ({ socket: squatter.socket, token: tokenFile, sealed: true }), version: '1.0', onMessage: (m) => got.push(m), minDelayMs: 20, maxDelayMs: 40 });
    link.start();
    await until(() => squatter.hellos.length >= 2);
    expect(link.connected).toBe(false);
    expect(got).toEqual([]);
    link.stop();
    await squatter.stop();
  });
});

describe('the sealed lines after the Windows welcome, tray side', () => {
  /** Runs a link against a stand-in that sends `after`; resolves with what the tray took and how many hellos it took to give up. */
  async function against(name: string, after: (seal: Seal) => string[]) {
    const agent = challenger(name, (h) => helloProof(secret, 'agent', agentNonce, h.nonce as string), after);
    await agent.listening;
    const got: unknown[] = [];
    const states: boolean[] = [];
    const link = new AgentLink({
      endpoint: async () => ({ socket: agent.socket, token: tokenFile, sealed: true }),
      version: '1.0',
      onMessage: (m) => got.push(m),
      onState: (up) => states.push(up),
      minDelayMs: 20,
      maxDelayMs: 40,
    });
    link.start();
    // a second hello means the tray left the first connection and came back
    await until(() => agent.hellos.length >= 2);
    link.stop();
    await agent.stop();
    return { got, states };
  }

  it('leaves the connection on a plain line after the welcome, taking none of it', async () => {
    const { got, states } = await against('plain.sock', (seal) => [seal.seal('{"type":"pending","count":2}'), '{"type":"pending","count":9}', seal.seal('{"type":"pending","count":4}')]);
    expect(got.filter((m) => (m as { count: number }).count !== 2)).toEqual([]);
    expect(states.slice(0, 2)).toEqual([true, false]);
  });

  it('leaves the connection on a sealed line with one byte changed, and on one replayed', async () => {
    const flipped = await against('flipped.sock', (seal) => {
      const line = JSON.parse(seal.seal('{"type":"pending","count":7}')) as { seq: number; box: string };
      const bytes = Buffer.from(line.box, 'base64url');
      bytes[2] = bytes[2]! ^ 0x01;
      return [JSON.stringify({ ...line, box: bytes.toString('base64url') }), seal.seal('{"type":"pending","count":8}')];
    });
    expect(flipped.got).toEqual([]);
    const replayed = await against('replayed.sock', (seal) => {
      const line = seal.seal('{"type":"pending","count":5}');
      return [line, line, seal.seal('{"type":"pending","count":6}')];
    });
    expect(replayed.got.filter((m) => (m as { count: number }).count !== 5)).toEqual([]);
  });
});
