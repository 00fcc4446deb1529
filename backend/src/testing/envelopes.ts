/** Checks in tests that an envelope verifies as the agent checks it: on its own, or through its proof to a signed root. */
import { canonicalJson, envelopeRootText, type Envelope } from '@fixpoint/protocol';
import { rootOfPath } from '@fixpoint/protocol/merkle';
import type { SigningKey } from '../keys';

export function envelopeVerifies(key: SigningKey, envelope: Pick<Envelope, 'payload' | 'signature' | 'proof'>): boolean {
  if (!envelope.proof) return key.verify(canonicalJson(envelope.payload), envelope.signature);
  return rootOfPath(envelope.payload, envelope.proof) === envelope.proof.root && key.verify(envelopeRootText(envelope.proof.root), envelope.signature);
}
