// The Windows tray pipe's cryptography: its name, the hello proofs, and the seal of the lines after the hello (what
// opens, and everything that must not). The agent and the tray client both use this one module.
import { describe, expect, it } from 'vitest';
import { helloProof, lineSeal, openBox, sealBox, sealKey, windowsPipeName } from './tray-crypto';

const key = sealKey('S'.repeat(43), 'A'.repeat(43), 'B'.repeat(43));
/** The box of a wire line from `seal`. */
const parts = (wire: string) => JSON.parse(wire) as { type: string; seq: number; box: string };
/** The box with one byte of its ciphertext or tag flipped, encoded again. */
function flip(box: string, at: number): string {
  const bytes = Buffer.from(box, 'base64url');
  bytes[at] = bytes[at]! ^ 0x01;
  return bytes.toString('base64url');
}

describe('the seal of the Windows tray lines', () => {
  it('derives the key and boxes of a fixed vector', () => {
    const vectorKey = sealKey('q1w2e3r4t5y6u7i8o9p0', 'A'.repeat(43), 'B'.repeat(43));
    expect(vectorKey.toString('hex')).toBe('c2dc626d6eedf1b9e6aca21b9011810c7eb4616a23ffc08109630ea0356424ff');
    expect(sealBox(vectorKey, 'agent-to-tray', 0, '{"type":"pending","count":1}')).toBe('BAYFLMT5xOQPILuzyzoAOneZNihyfUc2qZR567OtwbfmmlVRqHVmfZfLnuU');
    expect(sealBox(vectorKey, 'tray-to-agent', 7, '{"type":"shown","requestId":"r1"}')).toBe('KMKOmRaIPu--62y9wAvm4pwLgZCP2Rz89NijEmglf1Oe8sQ4pEZaqgx-ectsww9D6g');
  });

  it('opens what the other side sealed, in order, and hides the line', () => {
    const agent = lineSeal(key, 'agent');
    const tray = lineSeal(key, 'tray');
    const lines = ['{"type":"pending","count":1}', '{"type":"pending","count":2}', '{"type":"withdraw","requestId":"r1","reason":"expired"}'];
    lines.forEach((line, seq) => {
      const wire = parts(agent.seal(line));
      expect(wire).toMatchObject({ type: 'sealed', seq });
      expect(Buffer.from(wire.box, 'base64url').toString('latin1')).not.toContain('pending');
      expect(tray.open(wire.seq, wire.box)).toEqual({ ok: true, line });
    });
    const answer = parts(tray.seal('{"type":"shown","requestId":"r1"}'));
    expect(answer.seq).toBe(0);
    expect(agent.open(answer.seq, answer.box)).toEqual({ ok: true, line: '{"type":"shown","requestId":"r1"}' });
  });

  it('refuses a box with any byte changed, and one sealed with another key', () => {
    const box = sealBox(key, 'agent-to-tray', 0, '{"type":"pending","count":1}');
    for (let at = 0; at < Buffer.from(box, 'base64url').length; at++) expect(openBox(key, 'agent-to-tray', 0, flip(box, at)), `byte ${at}`).toBeNull();
    expect(openBox(key, 'agent-to-tray', 0, box.slice(0, -1))).toBeNull();
    expect(openBox(key, 'agent-to-tray', 0, `${box}A`)).toBeNull();
    const other = sealKey('S'.repeat(43), 'A'.repeat(43), 'C'.repeat(43));
    expect(openBox(other, 'agent-to-tray', 0, box)).toBeNull();
    const tray = lineSeal(key, 'tray');
    expect(tray.open(0, flip(box, 3))).toMatchObject({ ok: false, why: expect.stringContaining('does not open') });
  });

  it('refuses a replayed line, one out of order, and a line sent back the way it came', () => {
    const agent = lineSeal(key, 'agent');
    const first = parts(agent.seal('{"type":"pending","count":1}'));
    const second = parts(agent.seal('{"type":"pending","count":2}'));
    const tray = lineSeal(key, 'tray');
    expect(tray.open(second.seq, second.box)).toMatchObject({ ok: false, why: 'sealed line 1 came where 0 was due' });
    // claiming the due number does not help: the number is in the IV
    expect(tray.open(0, second.box).ok).toBe(false);
    expect(tray.open(first.seq, first.box).ok).toBe(true);
    expect(tray.open(first.seq, first.box)).toMatchObject({ ok: false, why: 'sealed line 0 came where 1 was due' });
    expect(tray.open(1, first.box).ok).toBe(false);
    expect(tray.open(second.seq, second.box).ok).toBe(true);
    // a relay reflecting the agent's own line back to it: the direction is in the IV
    const reflected = lineSeal(key, 'agent');
    expect(reflected.open(first.seq, first.box)).toMatchObject({ ok: false, why: expect.stringContaining('does not open') });
    expect(openBox(key, 'tray-to-agent', 0, first.box)).toBeNull();
  });
});

describe('the name and the hello of the Windows tray pipe', () => {
  const sid = 'S-1-5-21-3623811015-3361044348-30300820-1104';

  it('names the pipe by the SID and a one-way tag of the secret', () => {
    expect(windowsPipeName(sid, 'q1w2e3r4t5y6u7i8o9p0')).toBe(`\\\\.\\pipe\\fixpoint-${sid}-e6d7e3609edd185cd3ad65f3535fbd6c`);
    expect(windowsPipeName(sid, 'another secret')).not.toBe(windowsPipeName(sid, 'q1w2e3r4t5y6u7i8o9p0'));
    expect(windowsPipeName(sid, 'q1w2e3r4t5y6u7i8o9p0')).not.toContain('q1w2');
    expect(() => windowsPipeName('S-1-5\\..\\x', 's')).toThrow(/SID/);
  });

  it('computes the proofs of a fixed vector, one per role', () => {
    expect(helloProof('q1w2e3r4t5y6u7i8o9p0', 'tray', 'A'.repeat(43), 'B'.repeat(43))).toBe('3bcebf4dd9838ec41aa9a767cbcd9d122eb7709d3422c9043853ef6e77be27e6');
    expect(helloProof('q1w2e3r4t5y6u7i8o9p0', 'agent', 'A'.repeat(43), 'B'.repeat(43))).toBe('cb55dc2b2cdf9e92aba10203ed59f1870de3f2eb96942a62f4dfbbaba95fb132');
  });
});
