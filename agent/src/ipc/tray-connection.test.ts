// The Windows hello (a challenge, proofs both ways, never the secret) and the sealed lines after it, on a real socket;
// on Windows it runs on the user's pipe, which agent/windows/tray-pipe.test.ts exercises under Wine.
import { createServer, connect, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../testing/helpers';
import { helloProof, lineSeal, sealKey } from '@fixpoint/protocol/tray-crypto';
import { TrayConnection, type TrayConnectionHost } from './tray-connection';

const secret = 'S'.repeat(43);
const admitted: TrayConnection[] = [];
const shown: string[] = [];
const host: TrayConnectionHost = {
  // this process's uid: on Linux the pid in the hello is checked as well
  user: { name: 'CONTOSO\\ana', uid: process.getuid?.() ?? -1, gid: -1, sid: 'S-1-5-21-1-2-3-1001' },
  token: secret,
  challenge: true,
  admitted: (conn) => admitted.push(conn),
  closed: () => {},
  shown: (_conn, requestId) => shown.push(requestId),
  help: () => {},
  answer: () => {},
};
const path = join(tempDir('fixpoint-hello-'), 'agent.sock');
const server: Server = createServer((s) => new TrayConnection(s, host));
await new Promise<void>((resolve) => server.listen(path, resolve));
afterAll(() => new Promise((resolve) => server.close(resolve)));

/** Connects, and for the challenge returns the lines to send; resolves with all it got until the agent closed or went quiet. */
function exchange(reply: (nonce: string) => object): Promise<Record<string, unknown>[]> {
  return new Promise((resolve) => {
    const got: Record<string, unknown>[] = [];
    const s: Socket = connect(path);
    let buf = '';
    s.setEncoding('utf8');
    s.on('data', (d: string) => {
      buf += d;
      for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
        const msg = JSON.parse(buf.slice(0, nl)) as Record<string, unknown>;
        buf = buf.slice(nl + 1);
        got.push(msg);
        if (msg.type === 'challenge') s.write(`${JSON.stringify({ type: 'hello', user: 'CONTOSO\\ana', pid: process.pid, version: 't', ...reply(msg.nonce as string) })}\n`);
        if (msg.type === 'welcome') s.end();
      }
    });
    s.on('close', () => resolve(got));
    setTimeout(() => s.destroy(), 3000);
  });
}

const trayNonce = 'T'.repeat(43);
const rid = (n: number) => `00000000-0000-4000-8000-00000000000${n}`;

describe('the challenged hello (Windows)', () => {
  it('challenges first, admits a proof over both nonces, and proves the secret back', async () => {
    const got = await exchange((nonce) => ({ nonce: trayNonce, proof: helloProof(secret, 'tray', nonce, trayNonce) }));
    const nonce = got[0]!.nonce as string;
    expect(got).toEqual([
      { type: 'challenge', nonce: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) },
      { type: 'welcome', agentVersion: expect.any(String), proof: helloProof(secret, 'agent', nonce, trayNonce) },
    ]);
    expect(admitted).toHaveLength(1);
    // every connection gets a nonce of its own: a proof seen on one is worth nothing on the next
    const again = await exchange(() => ({ nonce: trayNonce, proof: helloProof(secret, 'tray', nonce, trayNonce) }));
    expect(again[0]!.nonce).not.toBe(nonce);
    expect(again[1]).toEqual({ type: 'error', code: 'unauthenticated', message: 'wrong secret' });
  });

  it('refuses the secret itself, a proof with another secret, and a hello without a proof', async () => {
    const before = admitted.length;
    expect((await exchange(() => ({ token: secret })))[1]).toMatchObject({ message: 'a proof of the secret is required, never the secret' });
    expect((await exchange((n) => ({ nonce: trayNonce, proof: helloProof('X'.repeat(43), 'tray', n, trayNonce) })))[1]).toMatchObject({ message: 'wrong secret' });
    expect((await exchange(() => ({ nonce: trayNonce })))[1]).toMatchObject({ code: 'unauthenticated' });
    expect((await exchange((n) => ({ token: secret, nonce: trayNonce, proof: helloProof(secret, 'tray', n, trayNonce) })))[1]).toMatchObject({ code: 'unauthenticated' });
    expect(admitted).toHaveLength(before);
  });
});

/**
 * A tray that says a proven hello, then after the welcome writes what `after` makes of its seal; resolves with the
 * lines it got (sealed ones as they came) and whether the agent closed the connection within 3 s.
 */
function admittedTray(after: (seal: ReturnType<typeof lineSeal>) => string[]): Promise<{ got: Record<string, unknown>[]; closed: boolean; seal: ReturnType<typeof lineSeal> }> {
  return new Promise((resolve) => {
    const got: Record<string, unknown>[] = [];
    const s: Socket = connect(path);
    let buf = '';
    let seal: ReturnType<typeof lineSeal> | null = null;
    const timer = setTimeout(() => (s.destroy(), resolve({ got, closed: false, seal: seal! })), 3000);
    s.setEncoding('utf8');
    s.on('data', (d: string) => {
      buf += d;
      for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
        const msg = JSON.parse(buf.slice(0, nl)) as Record<string, unknown>;
        buf = buf.slice(nl + 1);
        got.push(msg);
        if (msg.type === 'challenge') {
          seal = lineSeal(sealKey(secret, msg.nonce as string, trayNonce), 'tray');
          s.write(`${JSON.stringify({ type: 'hello', user: 'CONTOSO\\ana', pid: process.pid, version: 't', nonce: trayNonce, proof: helloProof(secret, 'tray', msg.nonce as string, trayNonce) })}\n`);
        }
        if (msg.type === 'welcome') s.write(after(seal!).map((l) => `${l}\n`).join(''));
      }
    });
    s.on('close', () => (clearTimeout(timer), resolve({ got, closed: true, seal: seal! })));
  });
}

/** The plain line inside an agent's sealed line. */
const opened = (seal: ReturnType<typeof lineSeal>, line: Record<string, unknown>) => {
  const result = seal.open(line.seq as number, line.box as string);
  return result.ok ? (JSON.parse(result.line) as Record<string, unknown>) : result.why;
};

describe('the lines after the challenged hello (Windows)', () => {
  it('takes the tray lines sealed in order, and seals its own', async () => {
    const before = shown.length;
    const { got, closed, seal } = await admittedTray((tray) => [tray.seal(`{"type":"shown","requestId":"${rid(1)}"}`), tray.seal('{"type":"hello","user":"x","pid":1,"version":"t"}')]);
    expect(closed).toBe(false);
    expect(shown.slice(before)).toEqual([rid(1)]);
    // the hello inside the seal gets its error back, sealed as the first line after the welcome
    expect(got.slice(2)).toEqual([{ type: 'sealed', seq: 0, box: expect.any(String) }]);
    expect(JSON.stringify(got[2])).not.toContain('already');
    expect(opened(seal, got[2]!)).toEqual({ type: 'error', code: 'protocol_error', message: 'already authenticated' });
  });

  it('closes the connection on a plain line after the welcome, and acts on none of it', async () => {
    const before = shown.length;
    const { closed, got } = await admittedTray(() => [`{"type":"shown","requestId":"${rid(2)}"}`]);
    expect(closed).toBe(true);
    expect(shown.slice(before)).toEqual([]);
    expect(got.at(-1)).toMatchObject({ type: 'sealed', seq: 0 });
  });

  it('closes the connection on a sealed line with one byte changed, and takes nothing after it', async () => {
    const before = shown.length;
    const { closed, got, seal } = await admittedTray((tray) => {
      const good = JSON.parse(tray.seal(`{"type":"shown","requestId":"${rid(3)}"}`)) as { seq: number; box: string };
      const bytes = Buffer.from(good.box, 'base64url');
      bytes[5] = bytes[5]! ^ 0x01;
      return [JSON.stringify({ ...good, box: bytes.toString('base64url') }), tray.seal(`{"type":"shown","requestId":"${rid(4)}"}`)];
    });
    expect(closed).toBe(true);
    expect(shown.slice(before)).toEqual([]);
    expect(opened(seal, got.at(-1)!)).toMatchObject({ type: 'error', message: expect.stringContaining('sealed line 0 does not open') });
  });

  it('closes the connection on a replayed sealed line', async () => {
    const before = shown.length;
    const { closed } = await admittedTray((tray) => {
      const line = tray.seal(`{"type":"shown","requestId":"${rid(5)}"}`);
      return [line, line];
    });
    expect(closed).toBe(true);
    expect(shown.slice(before)).toEqual([rid(5)]);
  });
});
