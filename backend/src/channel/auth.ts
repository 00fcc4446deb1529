/**
 * @module Agent authentication: a fresh nonce per connection, and the device's signature over it checked against
 * the public key stored at enrollment. Keys are looked up for every hello arriving in the same turn with one query,
 * so a reconnect storm after a restart costs a handful of queries, not one per device. Keys are not cached between
 * turns: deleting a device locks its agent out at its next connection.
 */
import { createPublicKey, randomBytes, verify, type KeyObject } from 'node:crypto';
import { agentAuthMessage } from '@fixpoint/protocol';
import type { AppContext } from '../context';
import { deviceKeys } from '../services/devices';

/** 24 random bytes, base64url: 192 bits, above the protocol's 128-bit minimum. */
export const newNonce = (): string => randomBytes(24).toString('base64url');

// Parsing a DER key costs more than verifying with it; the same keys come back on every reconnect.
const parsedKeys = new Map<string, KeyObject | null>();
const maxParsedKeys = 50_000;

function parseKey(der: string): KeyObject | null {
  let key = parsedKeys.get(der);
  if (key !== undefined) return key;
  try {
    key = createPublicKey({ key: Buffer.from(der, 'base64'), format: 'der', type: 'spki' });
    if (key.asymmetricKeyType !== 'ed25519') key = null;
  } catch {
    key = null;
  }
  if (parsedKeys.size >= maxParsedKeys) parsedKeys.clear();
  parsedKeys.set(der, key);
  return key;
}

export interface KeyLoader {
  /** The device's enrolled public key, or null for an unknown device. Rejects when the database fails. */
  load(deviceId: string): Promise<KeyObject | null>;
}

/** Batches key look-ups: every `load` in one turn of the event loop shares one query. */
export function createKeyLoader(ctx: AppContext): KeyLoader {
  let waiting = new Map<string, { resolve: (key: KeyObject | null) => void; reject: (error: unknown) => void }[]>();
  const flush = () => {
    const batch = waiting;
    waiting = new Map();
    deviceKeys(ctx, [...batch.keys()]).then(
      (keys) => {
        for (const [id, callers] of batch) {
          const der = keys.get(id);
          const key = der ? parseKey(der) : null;
          for (const c of callers) c.resolve(key);
        }
      },
      (error: unknown) => {
        for (const callers of batch.values()) for (const c of callers) c.reject(error);
      },
    );
  };
  return {
    load(deviceId) {
      return new Promise((resolve, reject) => {
        if (!waiting.size) setImmediate(flush);
        const callers = waiting.get(deviceId);
        if (callers) callers.push({ resolve, reject });
        else waiting.set(deviceId, [{ resolve, reject }]);
      });
    },
  };
}

/** True when `signature` (base64) is the device key's Ed25519 signature over the auth message for this nonce. */
export function verifyHello(key: KeyObject, deviceId: string, nonce: string, signature: string): boolean {
  try {
    return verify(null, Buffer.from(agentAuthMessage(deviceId, nonce)), key, Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}
