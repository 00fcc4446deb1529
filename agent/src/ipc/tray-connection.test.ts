// The Windows hello (a challenge, proofs both ways, never the secret) on a real socket; on Windows it runs on the
// user's pipe, which agent/windows/tray-pipe.test.ts exercises under Wine.
import { createServer, connect, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../testing/helpers';
import { helloProof } from './hello-proof';
import { TrayConnection, type TrayConnectionHost } from './tray-connection';

const secret = 'S'.repeat(43);
const admitted: TrayConnection[] = [];
const host: TrayConnectionHost = {
  // this process's uid: on Linux the pid in the hello is checked as well
  user: { name: 'CONTOSO\\ana', uid: process.getuid?.() ?? -1, gid: -1, sid: 'S-1-5-21-1-2-3-1001' },
  token: secret,
  challenge: true,
  admitted: (conn) => admitted.push(conn),
  closed: () => {},
  shown: () => {},
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

describe('the challenged hello (Windows)', () => {
  it('computes the proofs of the vector tray-client/src/hello-proof.test.ts checks too', () => {
    expect(helloProof('q1w2e3r4t5y6u7i8o9p0', 'tray', 'A'.repeat(43), 'B'.repeat(43))).toBe('3bcebf4dd9838ec41aa9a767cbcd9d122eb7709d3422c9043853ef6e77be27e6');
    expect(helloProof('q1w2e3r4t5y6u7i8o9p0', 'agent', 'A'.repeat(43), 'B'.repeat(43))).toBe('cb55dc2b2cdf9e92aba10203ed59f1870de3f2eb96942a62f4dfbbaba95fb132');
  });

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
