// @vitest-environment node
// The tray's side of the Windows hello: the agent challenges, the tray proves the secret and checks the agent's proof.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AgentLink } from './agent-link';
import { helloProof } from './hello-proof';

const dir = mkdtempSync(join(tmpdir(), 'fixpoint-sealed-'));
const tokenFile = join(dir, 'token');
const secret = 'K'.repeat(43);
const agentNonce = 'N'.repeat(43);
writeFileSync(tokenFile, `${secret}\n`);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A challenging stand-in agent: welcomes every hello, with the proof `welcomeProof` makes, then sends `pending`. */
function challenger(name: string, welcomeProof: (hello: Record<string, unknown>) => string) {
  const socket = join(dir, name);
  const hellos: Record<string, unknown>[] = [];
  const open = new Set<Socket>();
  const server: Server = createServer((s) => {
    open.add(s);
    s.setEncoding('utf8');
    s.write(`${JSON.stringify({ type: 'challenge', nonce: agentNonce })}\n`);
    let buf = '';
    s.on('data', (d: string) => {
      buf += d;
      for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
        const line = JSON.parse(buf.slice(0, nl)) as Record<string, unknown>;
        buf = buf.slice(nl + 1);
        if (line.type !== 'hello') continue;
        hellos.push(line);
        s.write(`${JSON.stringify({ type: 'welcome', agentVersion: '9.9.9', proof: welcomeProof(line) })}\n{"type":"pending","count":2}\n`);
      }
    });
  });
  const listening = new Promise<void>((resolve) => server.listen(socket, resolve));
  const stop = () => new Promise<void>((r) => (server.close(() => r()), open.forEach((s) => s.destroy())));
  return { socket, hellos, listening, stop };
}

const until = async (check: () => boolean, ms = 5000) => {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe('the Windows hello, tray side', () => {
  it('computes the proofs of the vector agent/src/ipc/tray-connection.test.ts checks too', () => {
    expect(helloProof('q1w2e3r4t5y6u7i8o9p0', 'tray', 'A'.repeat(43), 'B'.repeat(43))).toBe('3bcebf4dd9838ec41aa9a767cbcd9d122eb7709d3422c9043853ef6e77be27e6');
    expect(helloProof('q1w2e3r4t5y6u7i8o9p0', 'agent', 'A'.repeat(43), 'B'.repeat(43))).toBe('cb55dc2b2cdf9e92aba10203ed59f1870de3f2eb96942a62f4dfbbaba95fb132');
  });

  it('answers the challenge with a proof, never the secret, and takes prompts once the agent proved the secret back', async () => {
    const agent = challenger('honest.sock', (h) => helloProof(secret, 'agent', agentNonce, h.nonce as string));
    await agent.listening;
    const got: unknown[] = [];
    const link = new AgentLink({ endpoint: async () => ({ socket: agent.socket, token: tokenFile, sealed: true }), version: '1.0', onMessage: (m) => got.push(m), minDelayMs: 20 });
    link.start();
    await until(() => link.connected && got.length === 1);
    const hello = agent.hellos[0]!;
    expect(hello.token).toBeUndefined();
    expect(hello.proof).toBe(helloProof(secret, 'tray', agentNonce, hello.nonce as string));
    expect(got).toEqual([{ type: 'pending', count: 2 }]);
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
