import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ActionDefinition, canonicalJson, decodeStoredSignature, envelopeRootText, parseServerMessage, type Envelope, type Platform } from '@fixpoint/protocol';
import { rootOfPath } from '@fixpoint/protocol/merkle';
import { signingKeyFrom } from '../../keys';
import { buildEnvelopePayload } from './envelope';
import { buildLaunchEnvelopes } from './launch-envelopes';
import type { VersionRow } from './version-cache';

const key = generateKeyPairSync('ed25519').privateKey;
const signingKey = signingKeyFrom(key);

const version: VersionRow = {
  id: randomUUID(), actionId: randomUUID(), version: 3, createdAt: new Date(), createdBy: 'ana', approval: 'approved',
  approvedBy: 'bo', approvedAt: new Date('2026-01-01T00:00:00Z'), rejectionReason: null,
  publisherSignatures: { linux: 'c2lnbmVkLWZvci1saW51eA==' },
  scriptHashes: {},
  definition: ActionDefinition.parse({
    slug: 'clean-temp', name: 'Clean temp', purpose: 'remediation',
    // quotes, backslashes, a line break and non-ASCII text: the script's JSON must be escaped exactly once
    scripts: { linux: { source: 'echo "a\\b" \u00e9\n' }, windows: { source: 'Write-Output "ü"' } },
    parameters: [{ name: 'path', type: 'string' }, { name: 'token', type: 'string', secret: true }],
    outputs: [{ name: 'freed', type: 'size' }],
  }),
};

function launch(targets: { id: string; platform: Platform }[], holds: (string | null)[]) {
  const plan = {
    version, targets, parameters: { path: '/tmp/"x"' }, secretParameters: { token: 's3cr\u00e8t' },
    now: new Date('2026-02-01T10:00:00Z'), expiresAt: new Date('2026-02-01T11:00:00Z'),
  };
  const ids = targets.map(() => randomUUID());
  const origin = { kind: 'person' as const, name: 'Ana "the admin"', ticket: 'INC-1' };
  return { plan, ids, origin, built: buildLaunchEnvelopes({ signingKey }, { plan, ids, holds, origin }) };
}

/** The envelope of an `execute` frame, as the agent's transport parses it. */
function executeEnvelope(frame: string) {
  const parsed = parseServerMessage(frame);
  if (!parsed.ok || parsed.message.type !== 'execute') throw new Error(`not an execute frame: ${JSON.stringify(parsed)}`);
  return parsed.message.envelope;
}

/** What the agent checks of a launch signed once: the payload as received hashes up its path to the signed root. */
function proves(envelope: Envelope, received: unknown): boolean {
  const { root, path } = envelope.proof!;
  return rootOfPath(received, { path }) === root && signingKey.verify(envelopeRootText(root), envelope.signature);
}

describe('launch envelopes built from shared parts', () => {
  it('give each device the canonical JSON of the payload the backend rebuilds from its row, and frames the agent verifies', () => {
    const targets = Array.from({ length: 7 }, (_, i) => ({ id: randomUUID(), platform: (i % 3 ? 'linux' : 'windows') as Platform }));
    const holds = targets.map((_, i) => (i % 2 ? null : `2026-02-01T10:0${i}:00Z`));
    const { plan, ids, origin, built } = launch(targets, holds);
    expect(new Set(built.envelopes.map((e) => e.signature)).size).toBe(1);
    for (const [i, device] of targets.entries()) {
      const rebuilt = buildEnvelopePayload(
        { id: ids[i]!, deviceId: device.id, actionVersionId: version.id, parameters: plan.parameters, secretParameters: plan.secretParameters,
          issuedAt: plan.now, expiresAt: plan.expiresAt, notBefore: holds[i]!, origin },
        version,
        device,
      );
      expect(canonicalJson(built.envelopes[i]!.payload)).toBe(canonicalJson(rebuilt));
      expect(built.envelopes[i]!.payload.notBefore).toBe(holds[i] ?? undefined);
      // the frame is the envelope, whatever the key order
      const json = JSON.parse(built.frames[i]!) as { envelope: { payload: unknown } };
      expect(json).toEqual(JSON.parse(JSON.stringify({ type: 'execute', envelope: built.envelopes[i] })));
      expect(decodeStoredSignature(built.stored[i]!)).toEqual({ signature: built.envelopes[i]!.signature, proof: built.envelopes[i]!.proof });
      const envelope = executeEnvelope(built.frames[i]!);
      expect(envelope.payload.deviceId).toBe(device.id);
      expect(proves(envelope, json.envelope.payload)).toBe(true);
      // another device's payload does not lead to the root along this path
      expect(proves(envelope, JSON.parse(built.frames[(i + 1) % 7]!).envelope.payload)).toBe(false);
    }
  });

  it('signs a launch to one device over its payload alone, with no proof', () => {
    const device = { id: randomUUID(), platform: 'linux' as Platform };
    const { built } = launch([device], [null]);
    const envelope = built.envelopes[0]!;
    expect(envelope.proof).toBeUndefined();
    expect(built.stored[0]).toBe(envelope.signature);
    expect(signingKey.verify(canonicalJson(envelope.payload), envelope.signature)).toBe(true);
    const received = (JSON.parse(built.frames[0]!) as { envelope: { payload: unknown } }).envelope.payload;
    expect(executeEnvelope(built.frames[0]!)).toEqual(envelope);
    expect(signingKey.verify(canonicalJson(received), envelope.signature)).toBe(true);
  });
});
