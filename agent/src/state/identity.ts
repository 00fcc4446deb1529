/**
 * @module The device identity made at enrollment: device id, server URL, the device's Ed25519 private key,
 * and the server's envelope-signing key, pinned.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { z } from 'zod';
import { Id, agentAuthMessage } from '@fixpoint/protocol';
import type { AgentPaths } from '../config';
import { ensurePrivateDir, readJsonFile, writeFileAtomic } from './files';

export const Identity = z.strictObject({
  deviceId: Id,
  /** Base URL the agent enrolled with, e.g. https://fixpoint.example.com */
  server: z.url({ protocol: /^https?$/ }),
  /** PKCS#8 PEM of the device's Ed25519 key. */
  privateKey: z.string().min(1),
  /** Base64 SPKI DER of the server's envelope-signing key. */
  serverPublicKey: z.string().min(1),
  serverKeyId: z.string().min(1),
  /** Base64 SPKI DER of the update key agent releases must be signed with; absent when the server had none. */
  updatePublicKey: z.string().min(1).optional(),
  enrolledAt: z.string(),
});
export type Identity = z.infer<typeof Identity>;

/** Loads the identity, or `null` when the device is not enrolled. Throws when the file is corrupt. */
export function loadIdentity(paths: AgentPaths): Identity | null {
  const raw = readJsonFile(paths.identity);
  if (raw === null) return null;
  const parsed = Identity.safeParse(raw);
  if (!parsed.success) throw new Error(`${paths.identity} is not a valid identity: ${parsed.error.issues[0]?.message}`);
  return parsed.data;
}

/** Stores the identity with mode 0600 in a 0700 state dir. */
export function saveIdentity(paths: AgentPaths, identity: Identity): void {
  ensurePrivateDir(paths.stateDir);
  writeFileAtomic(paths.identity, `${JSON.stringify(identity, null, 2)}\n`, 0o600);
}

/** A fresh device key pair: the PEM private key to keep, and the base64 SPKI DER public key to enroll with. */
export function generateDeviceKeys(): { privateKeyPem: string; publicKeyDer: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKeyDer: publicKey.export({ type: 'spki', format: 'der' }).toString('base64'),
  };
}

/** Parses a base64 SPKI DER Ed25519 public key (as pinned at enrollment or listed in the policy). */
export function publicKeyFromDer(base64Der: string): KeyObject {
  const key = createPublicKey({ key: Buffer.from(base64Der, 'base64'), format: 'der', type: 'spki' });
  if (key.asymmetricKeyType !== 'ed25519') throw new Error('expected an Ed25519 public key');
  return key;
}

/** The keys an enrolled agent works with, parsed once. */
export interface DeviceKeys {
  device: KeyObject;
  server: KeyObject;
}

export function loadDeviceKeys(identity: Identity): DeviceKeys {
  return { device: createPrivateKey(identity.privateKey), server: publicKeyFromDer(identity.serverPublicKey) };
}

/** Answers a connection challenge: base64 Ed25519 over `agentAuthMessage(deviceId, nonce)`. */
export function signChallenge(deviceId: string, deviceKey: KeyObject, nonce: string): string {
  return sign(null, Buffer.from(agentAuthMessage(deviceId, nonce)), deviceKey).toString('base64');
}
