/**
 * @module The Windows tray pipe's cryptography, shared by the agent and the tray client (Node only, so outside the
 * browser-safe rest of protocol; `protocol/src/tray-ipc.ts` has the messages):
 * - the pipe's name, `\\.\pipe\fixpoint-<SID>-<tag>`, whose tag is a one-way hash of the secret: only who can read
 *   the secret can know it before the agent creates the pipe;
 * - the hello proofs: each side shows it knows the user's secret without sending it, bound to both sides' nonces, so
 *   whoever else serves or reads the pipe learns nothing it could replay;
 * - the seal of every line after the hello: AES-256-GCM under a key derived from the secret and both nonces, with the
 *   direction and a sequence number in the IV, so an account that relays the pipe can neither read a line nor change,
 *   replay or reorder one.
 */
import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes } from 'node:crypto';

/** The agent's pipe for a SID and the user's secret. */
export function windowsPipeName(sid: string, secret: string): string {
  // the pattern of isWindowsSid (../platform.ts), which this Node-only program does not compile
  if (!/^S-1-\d+(-\d+)+$/.test(sid)) throw new Error('a Windows user needs its SID');
  const tag = createHash('sha256').update(`fixpoint-tray-pipe\n${secret}`).digest('hex').slice(0, 32);
  return `\\\\.\\pipe\\fixpoint-${sid}-${tag}`;
}

/** 32 random bytes, base64url. */
export const newNonce = (): string => randomBytes(32).toString('base64url');

/** HMAC-SHA256 keyed by the secret over the role and both nonces, hex. */
export function helloProof(secret: string, role: 'tray' | 'agent', agentNonce: string, trayNonce: string): string {
  return createHmac('sha256', secret).update(`fixpoint-tray-${role}\n${agentNonce}\n${trayNonce}`).digest('hex');
}

export type SealDirection = 'agent-to-tray' | 'tray-to-agent';
export type Opened = { ok: true; line: string } | { ok: false; why: string };

/** The connection's key: HMAC-SHA256 keyed by the secret over both nonces, 32 bytes. */
export const sealKey = (secret: string, agentNonce: string, trayNonce: string): Buffer =>
  createHmac('sha256', secret).update(`fixpoint-tray-seal\n${agentNonce}\n${trayNonce}`).digest();

/** 4 bytes of direction, then the 8-byte big-endian sequence number: never the same IV twice under one key. */
function iv(direction: SealDirection, seq: number): Buffer {
  const bytes = Buffer.alloc(12);
  bytes.writeUInt32BE(direction === 'agent-to-tray' ? 0 : 1, 0);
  bytes.writeBigUInt64BE(BigInt(seq), 4);
  return bytes;
}

/** The ciphertext and 16-byte tag of one line, base64url. */
export function sealBox(key: Buffer, direction: SealDirection, seq: number, line: string): string {
  const cipher = createCipheriv('aes-256-gcm', key, iv(direction, seq));
  return Buffer.concat([cipher.update(line, 'utf8'), cipher.final(), cipher.getAuthTag()]).toString('base64url');
}

/** The line in a box, or null when the tag does not verify (changed, another key, direction or sequence number). */
export function openBox(key: Buffer, direction: SealDirection, seq: number, box: string): string | null {
  const bytes = Buffer.from(box, 'base64url');
  // only the one encoding of the bytes: no other spelling of a box passes
  if (bytes.length < 16 || bytes.toString('base64url') !== box) return null;
  const decipher = createDecipheriv('aes-256-gcm', key, iv(direction, seq), { authTagLength: 16 });
  decipher.setAuthTag(bytes.subarray(-16));
  try {
    return Buffer.concat([decipher.update(bytes.subarray(0, -16)), decipher.final()]).toString('utf8');
  } catch {
    return null;
  }
}

/** One side of a sealed connection: seals what it sends in order, and opens only the next line due from the other side. */
export function lineSeal(key: Buffer, side: 'agent' | 'tray') {
  const outbound: SealDirection = side === 'agent' ? 'agent-to-tray' : 'tray-to-agent';
  const inbound: SealDirection = side === 'agent' ? 'tray-to-agent' : 'agent-to-tray';
  let sent = 0;
  let due = 0;
  return {
    /** The wire line (no newline) for one plain line. */
    seal: (line: string): string => JSON.stringify({ type: 'sealed', seq: sent, box: sealBox(key, outbound, sent++, line) }),
    open(seq: number, box: string): Opened {
      if (seq !== due) return { ok: false, why: `sealed line ${seq} came where ${due} was due` };
      const line = openBox(key, inbound, seq, box);
      if (line === null) return { ok: false, why: `sealed line ${seq} does not open: changed, or not sealed with this connection's key` };
      due++;
      return { ok: true, line };
    },
  };
}
