/** @module The backend's Ed25519 envelope-signing key, created on first start and kept in the data dir. */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { canonicalJson } from '@fixpoint/protocol';

export interface SigningKey {
  keyId: string;
  /** Base64 SPKI DER, what agents pin. */
  publicKeyDer: string;
  sign(data: string | Buffer): string;
  /** Signs many messages, in order; a large batch is shared with a worker thread on another core. */
  signMany(data: readonly string[]): Promise<string[]>;
  verify(data: string | Buffer, signature: string): boolean;
}

/** Below this many signatures a worker thread costs more in copying than it saves. */
const parallelFrom = 512;

// The worker signs what it is sent with the key it was started with; plain CommonJS, so the bundle needs no extra file.
const workerSource = `
const { parentPort, workerData } = require('node:worker_threads');
const { sign } = require('node:crypto');
parentPort.on('message', ({ id, items }) => {
  parentPort.postMessage({ id, signatures: items.map((d) => sign(null, Buffer.from(d), workerData.key).toString('base64')) });
});`;

/** One signing worker per key, started on first use; it never keeps the process alive. */
function signingWorker(privateKey: KeyObject): (items: readonly string[]) => Promise<string[]> {
  let worker: Worker | null = null;
  let nextId = 0;
  const waiting = new Map<number, { resolve(s: string[]): void; reject(e: unknown): void }>();
  const fail = (error: unknown) => {
    worker = null;
    for (const w of waiting.values()) w.reject(error);
    waiting.clear();
  };
  return (items) => {
    if (!worker) {
      worker = new Worker(workerSource, { eval: true, workerData: { key: privateKey } });
      worker.unref();
      worker.on('message', ({ id, signatures }: { id: number; signatures: string[] }) => {
        waiting.get(id)?.resolve(signatures);
        waiting.delete(id);
      });
      worker.on('error', fail);
      worker.on('exit', (code) => fail(new Error(`signing worker exited with ${code}`)));
    }
    const id = nextId++;
    const done = new Promise<string[]>((resolve, reject) => waiting.set(id, { resolve, reject }));
    worker.postMessage({ id, items });
    return done;
  };
}

/**
 * The Ed25519 private key in `<dataDir>/keys/<name>`, created (0600, in a 0700 folder) on first use. When another process
 * of the same data dir creates it at the same moment, its key is used.
 */
function loadOrCreateKeyFile(dataDir: string, name: string): KeyObject {
  const dir = join(dataDir, 'keys');
  const file = join(dir, name);
  if (existsSync(file)) return createPrivateKey(readFileSync(file));
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const privateKey = generateKeyPairSync('ed25519').privateKey;
  try {
    writeFileSync(file, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600, flag: 'wx' });
    chmodSync(file, 0o600);
    return privateKey;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return createPrivateKey(readFileSync(file));
  }
}

export function loadOrCreateSigningKey(dataDir: string): SigningKey {
  return signingKeyFrom(loadOrCreateKeyFile(dataDir, 'envelope-ed25519.pem'));
}

export function signingKeyFrom(privateKey: KeyObject): SigningKey {
  const publicKey = createPublicKey(privateKey);
  const der = publicKey.export({ type: 'spki', format: 'der' });
  const signOne = (data: string | Buffer) => sign(null, Buffer.from(data), privateKey).toString('base64');
  const inWorker = signingWorker(privateKey);
  return {
    keyId: createHash('sha256').update(der).digest('hex').slice(0, 16),
    publicKeyDer: der.toString('base64'),
    sign: signOne,
    async signMany(data) {
      if (data.length < parallelFrom || availableParallelism() < 2) return data.map(signOne);
      // The worker takes the second half while this thread signs the first; if it fails, this thread does it all.
      const half = data.length >> 1;
      const rest = inWorker(data.slice(half)).catch(() => data.slice(half).map(signOne));
      return [...data.slice(0, half).map(signOne), ...(await rest)];
    },
    verify: (data, signature) => verify(null, Buffer.from(data), publicKey, Buffer.from(signature, 'base64')),
  };
}

/**
 * Signatures over the canonical JSON of each value, in order: what execution envelopes (their payload) and control
 * frames (the frame without its signature) both sign. A large batch is shared with the signing worker.
 */
export function signCanonical(key: SigningKey, values: readonly unknown[]): Promise<string[]> {
  return key.signMany(values.map(canonicalJson));
}

/** What agents pin to run only approved scripts (`publisherKeys` in their config). */
export interface PublisherKey {
  keyId: string;
  /** Base64 SPKI DER. */
  publicKeyDer: string;
  sign(data: string): string;
}

const publisherKeys = new Map<string, PublisherKey>();

/**
 * The organization's publisher key: Ed25519, created on first use next to the envelope key but never the same key,
 * and used only when someone approves an action version. Loaded once per data dir.
 */
export function loadOrCreatePublisherKey(dataDir: string): PublisherKey {
  const file = join(dataDir, 'keys', 'publisher-ed25519.pem');
  const cached = publisherKeys.get(file);
  if (cached) return cached;
  const privateKey = loadOrCreateKeyFile(dataDir, 'publisher-ed25519.pem');
  const der = createPublicKey(privateKey).export({ type: 'spki', format: 'der' });
  const key: PublisherKey = {
    keyId: createHash('sha256').update(der).digest('hex').slice(0, 16),
    publicKeyDer: der.toString('base64'),
    sign: (data) => sign(null, Buffer.from(data, 'utf8'), privateKey).toString('base64'),
  };
  publisherKeys.set(file, key);
  return key;
}
