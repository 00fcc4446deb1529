// @vitest-environment node
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AgentLink } from './agent-link';

const dir = mkdtempSync(join(tmpdir(), 'fixpoint-link-'));
const socket = join(dir, 'agent.sock');
const tokenFile = join(dir, 'token');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A stand-in agent: records each line, answers hellos with a welcome (or, with `refuse`, an error). */
function fakeAgent(token: string, onLine: (line: Record<string, unknown>, s: Socket) => void): Promise<{ server: Server; stop(): Promise<void> }> {
  writeFileSync(tokenFile, `${token}\n`);
  const open = new Set<Socket>();
  const server = createServer((s) => {
    open.add(s);
    s.setEncoding('utf8');
    let buf = '';
    s.on('data', (d: string) => {
      buf += d;
      for (let nl = buf.indexOf('\n'); nl !== -1; nl = buf.indexOf('\n')) {
        const line = JSON.parse(buf.slice(0, nl)) as Record<string, unknown>;
        buf = buf.slice(nl + 1);
        if (line.type === 'hello' && line.token === token) s.write('{"type":"welcome","agentVersion":"9.9.9"}\n');
        onLine(line, s);
      }
    });
  });
  rmSync(socket, { force: true });
  const stop = () =>
    new Promise<void>((r) => {
      server.close(() => r());
      for (const s of open) s.destroy();
    });
  return new Promise((resolve) => server.listen(socket, () => resolve({ server, stop })));
}

const until = async (check: () => boolean, ms = 5000) => {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe('agent link', () => {
  it('says hello with the secret, passes prompts on, and reconnects with the new secret after the agent restarts', async () => {
    const lines: Record<string, unknown>[] = [];
    const got: unknown[] = [];
    let first = await fakeAgent('A'.repeat(43), (l, s) => {
      lines.push(l);
      if (l.type === 'hello') s.write('{"type":"pending","count":3}\nnot json\n');
    });
    const link = new AgentLink({ endpoint: async () => ({ socket, token: tokenFile }), version: '1.0', language: 'fr', onMessage: (m) => got.push(m), minDelayMs: 20, maxDelayMs: 100 });
    link.start();
    await until(() => got.length === 1 && lines.some((l) => l.type === 'error'));
    expect(lines[0]).toMatchObject({ type: 'hello', token: 'A'.repeat(43), pid: process.pid, language: 'fr', version: '1.0' });
    expect(got).toEqual([{ type: 'pending', count: 3 }]);
    // a line it cannot read is answered with an error, and the link stays up
    expect(lines.find((l) => l.type === 'error')).toMatchObject({ code: 'protocol_error' });
    expect(link.connected).toBe(true);

    await first.stop();
    await until(() => !link.connected);
    expect(link.send({ type: 'shown', requestId: '0b7f6c1e-2f9a-4d55-8a0e-1f2b3c4d5e6f' })).toBe(false);
    const second: Record<string, unknown>[] = [];
    first = await fakeAgent('B'.repeat(43), (l) => second.push(l));
    await until(() => second.some((l) => l.type === 'hello'), 10_000);
    expect(second[0]).toMatchObject({ type: 'hello', token: 'B'.repeat(43) });
    await until(() => link.connected);
    expect(link.send({ type: 'shown', requestId: '0b7f6c1e-2f9a-4d55-8a0e-1f2b3c4d5e6f' })).toBe(true);
    link.stop();
    await first.stop();
  });
});
