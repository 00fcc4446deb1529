/**
 * @module Envelope verification. Nothing runs unless every check passes; the first failing check is the refusal reason.
 * Order matters: the signature comes first, because until it holds nothing else in the envelope can be trusted.
 */
import { createHash, verify, type KeyObject } from 'node:crypto';
import {
  canonicalJson,
  limits,
  type Envelope,
  type Platform,
  type RefusalReason,
} from '@fixpoint/protocol';

export interface VerifyContext {
  deviceId: string;
  platform: Platform;
  /** The server key pinned at enrollment, and its id. */
  serverKey: KeyObject;
  serverKeyId: string;
  requirePublisherSignature: boolean;
  publisherKeys: readonly KeyObject[];
  /** True when the journal already holds this execution id. */
  seen(executionId: string): boolean;
  now: Date;
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

/**
 * Checks an envelope against the pinned key, this device, the clock, the journal and the local policy.
 * `signedPayload` is the payload as received on the wire (before schema defaults); the signature covers its canonical JSON.
 */
export function verifyEnvelope(envelope: Envelope, signedPayload: unknown, ctx: VerifyContext): Verdict {
  const refuse = (reason: RefusalReason, message: string): Verdict => ({ ok: false, reason, message });
  const p = envelope.payload;
  if (envelope.keyId !== ctx.serverKeyId)
    return refuse('unknown_key', `signed with key ${envelope.keyId.slice(0, 64)}, not the pinned key ${ctx.serverKeyId}`);
  let signed: Buffer;
  try {
    signed = Buffer.from(canonicalJson(signedPayload), 'utf8');
  } catch {
    return refuse('malformed_envelope', 'the payload cannot be serialized canonically');
  }
  if (!ed25519Verify(signed, ctx.serverKey, envelope.signature))
    return refuse('bad_signature', 'the envelope signature does not match the pinned server key');
  if (p.deviceId !== ctx.deviceId) return refuse('wrong_device', `addressed to device ${p.deviceId}`);
  if (p.platform !== ctx.platform || !shellsByPlatform[ctx.platform].includes(p.shell))
    return refuse('wrong_platform', `a ${p.platform}/${p.shell} script cannot run on ${ctx.platform}`);
  if (Number.isNaN(Date.parse(p.expiresAt)) || Date.parse(p.expiresAt) <= ctx.now.getTime())
    return refuse('expired', `expired at ${p.expiresAt}`);
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
    if (!p.publisherSignature) return refuse('unsigned_script', 'the local policy requires a publisher signature');
    const script = Buffer.from(envelope.script, 'utf8');
    if (!ctx.publisherKeys.some((key) => ed25519Verify(script, key, p.publisherSignature!)))
      return refuse('bad_publisher_signature', 'no pinned publisher key verifies the script signature');
  }
  return { ok: true };
}
