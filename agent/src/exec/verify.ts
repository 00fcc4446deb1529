/**
 * @module Envelope verification. Nothing runs unless every check passes; the first failing check is the refusal reason.
 * Order matters: the signature comes first, because until it holds nothing else in the envelope can be trusted.
 */
import { createHash, verify, type KeyObject } from 'node:crypto';
import {
  canonicalJson,
  envelopeRootText,
  limits,
  parsePublisherSignature,
  publisherSigningText,
  type Envelope,
  type Platform,
  type RefusalReason,
} from '@fixpoint/protocol';
import { rootOfPath } from '@fixpoint/protocol/merkle';
import { holdEndsAt } from './hold';

export interface VerifyContext extends ServerKey {
  deviceId: string;
  platform: Platform;
  requirePublisherSignature: boolean;
  publisherKeys: readonly KeyObject[];
  /** True when the journal already holds this execution id. */
  seen(executionId: string): boolean;
  now: Date;
  /**
   * Verdicts of launch signatures already checked against `serverKey`, by key id, root and signature. Only for many
   * virtual agents in one process (the fleet simulator): they all get the same launch signature, and checking it
   * again gives the same verdict; each still hashes its own payload up its own path to the root. An agent, which gets
   * one envelope per launch, leaves it out.
   */
  rootVerdicts?: Map<string, boolean>;
}

export type Verdict = { ok: true } | { ok: false; reason: RefusalReason; message: string };

const shellsByPlatform: Record<Platform, readonly string[]> = {
  windows: ['powershell'],
  macos: ['zsh', 'bash'],
  linux: ['sh', 'bash'],
};

const ed25519Verify = (data: Buffer, key: KeyObject, signatureB64: string): boolean => {
  try {
    return verify(null, data, key, Buffer.from(signatureB64, 'base64'));
  } catch {
    return false;
  }
};

/** Hex SHA-256 of the UTF-8 script text, as in `EnvelopePayload.scriptSha256`. */
export function scriptSha256(script: string): string {
  return createHash('sha256').update(script, 'utf8').digest('hex');
}

/** The pinned server key, and its id. */
export interface ServerKey {
  serverKey: KeyObject;
  serverKeyId: string;
}

/** Why a server signature does not hold, or null when it does. */
export type SignatureProblem = { reason: 'unknown_key' | 'bad_signature' | 'malformed_envelope'; message: string } | null;

/**
 * Checks the server's signature over the canonical JSON of `signed` (as received, before schema defaults): the one
 * check that execution envelopes (their payload) and control frames (the frame without its signature) share.
 */
export function checkServerSignature(signed: unknown, keyId: string, signature: string, key: ServerKey, what: string): SignatureProblem {
  if (keyId !== key.serverKeyId) return { reason: 'unknown_key', message: `signed with key ${keyId.slice(0, 64)}, not the pinned key ${key.serverKeyId}` };
  let bytes: Buffer;
  try {
    bytes = Buffer.from(canonicalJson(signed), 'utf8');
  } catch {
    return { reason: 'malformed_envelope', message: `the ${what} cannot be serialized canonically` };
  }
  if (!ed25519Verify(bytes, key.serverKey, signature))
    return { reason: 'bad_signature', message: `the ${what} signature does not match the pinned server key` };
  return null;
}

/**
 * Checks an envelope of a launch signed once: the payload as received hashes, through the proof's path, to the
 * proof's root, and the server's signature covers that root. A changed payload, a path or root from elsewhere, or
 * another device's leaf lead to another root; another device's whole envelope is then refused as `wrong_device`.
 */
function checkProof(signedPayload: unknown, envelope: Envelope, key: ServerKey & Pick<VerifyContext, 'rootVerdicts'>): SignatureProblem {
  const proof = envelope.proof!;
  if (envelope.keyId !== key.serverKeyId)
    return { reason: 'unknown_key', message: `signed with key ${envelope.keyId.slice(0, 64)}, not the pinned key ${key.serverKeyId}` };
  let root: string;
  try {
    root = rootOfPath(signedPayload, proof);
  } catch {
    return { reason: 'malformed_envelope', message: 'the envelope cannot be serialized canonically' };
  }
  if (root !== proof.root) return { reason: 'bad_signature', message: 'the envelope is not part of the signed launch: its proof leads to another root' };
  const verdictKey = `${envelope.keyId} ${proof.root} ${envelope.signature}`;
  let good = key.rootVerdicts?.get(verdictKey);
  if (good === undefined) {
    good = ed25519Verify(Buffer.from(envelopeRootText(proof.root), 'utf8'), key.serverKey, envelope.signature);
    key.rootVerdicts?.set(verdictKey, good);
  }
  if (!good)
    return { reason: 'bad_signature', message: 'the launch signature does not match the pinned server key' };
  return null;
}

/**
 * Checks an envelope against the pinned key, this device, the clock, the journal and the local policy.
 * `signedPayload` is the payload as received on the wire (before schema defaults); the signature covers its canonical JSON.
 */
export function verifyEnvelope(envelope: Envelope, signedPayload: unknown, ctx: VerifyContext): Verdict {
  const refuse = (reason: RefusalReason, message: string): Verdict => ({ ok: false, reason, message });
  const p = envelope.payload;
  const problem = envelope.proof
    ? checkProof(signedPayload, envelope, ctx)
    : checkServerSignature(signedPayload, envelope.keyId, envelope.signature, ctx, 'envelope');
  if (problem) return refuse(problem.reason, problem.message);
  if (p.deviceId !== ctx.deviceId) return refuse('wrong_device', `addressed to device ${p.deviceId}`);
  if (p.platform !== ctx.platform || !shellsByPlatform[ctx.platform].includes(p.shell))
    return refuse('wrong_platform', `a ${p.platform}/${p.shell} script cannot run on ${ctx.platform}`);
  if (Number.isNaN(Date.parse(p.expiresAt)) || Date.parse(p.expiresAt) <= ctx.now.getTime())
    return refuse('expired', `expired at ${p.expiresAt}`);
  if (p.notBefore !== undefined && Number.isNaN(holdEndsAt(p.notBefore))) return refuse('malformed_envelope', `notBefore ${p.notBefore} names no time`);
  if (ctx.seen(p.executionId)) return refuse('replayed', `execution ${p.executionId} was already received`);
  if (
    p.timeoutSec < limits.minTimeoutSec || p.timeoutSec > limits.maxTimeoutSec ||
    p.outputCapBytes < 1 || p.outputCapBytes > limits.maxOutputCapBytes ||
    Buffer.byteLength(envelope.script, 'utf8') > limits.maxScriptBytes
  )
    return refuse('malformed_envelope', 'timeout, output cap or script size is out of range');
  if (scriptSha256(envelope.script) !== p.scriptSha256)
    return refuse('script_hash_mismatch', 'the script does not match the signed hash');
  if (ctx.requirePublisherSignature) {
    if (!p.publisherSignature)
      return refuse('unsigned_script', `the local policy requires a publisher signature and ${p.actionSlug} carries none (an unapproved version?)`);
    const parsed = parsePublisherSignature(p.publisherSignature);
    if (!parsed) return refuse('bad_publisher_signature', 'the publisher signature is not <version>:<base64>');
    const text = publisherSigningText({ actionSlug: p.actionSlug, actionVersion: parsed.actionVersion, platform: p.platform, scriptSha256: p.scriptSha256 });
    const signed = Buffer.from(text, 'utf8');
    if (!ctx.publisherKeys.some((key) => ed25519Verify(signed, key, parsed.signature)))
      return refuse('bad_publisher_signature', `no pinned publisher key verifies the signature of ${p.actionSlug} version ${parsed.actionVersion} for ${p.platform}`);
  }
  return { ok: true };
}
