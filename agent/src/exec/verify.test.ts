import { generateKeyPairSync, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { envelopeRootText, formatPublisherSignature, publisherSigningText, type Envelope } from '@fixpoint/protocol';
import { buildEnvelopeTree, envelopeLeaf } from '@fixpoint/protocol/merkle';
import { FakeServer } from '../testing/fake-server';
import { currentPlatform } from './platform';
import { scriptSha256, verifyEnvelope, type VerifyContext } from './verify';

const server = new FakeServer();
const device = '11111111-2222-4333-8444-555555555555';
const publisher = generateKeyPairSync('ed25519');

function ctx(overrides: Partial<VerifyContext> = {}): VerifyContext {
  return {
    deviceId: device,
    platform: currentPlatform(),
    serverKey: server.signingKey.publicKey,
    serverKeyId: server.keyId,
    requirePublisherSignature: false,
    publisherKeys: [],
    seen: () => false,
    now: new Date(),
    ...overrides,
  };
}
const check = (e: Envelope, c = ctx()) => verifyEnvelope(e, JSON.parse(JSON.stringify(e.payload)), c);
const base = () => server.envelope(device, { script: 'echo hi', parameters: { path: '/tmp' } });

/** Envelopes of one launch to `devices`, signed once over the root of their tree, each with its proof. */
function launch(devices: string[], signer = server): Envelope[] {
  const envelopes = devices.map((d) => signer.envelope(d, { script: 'echo hi', parameters: { path: '/tmp' } }));
  const tree = buildEnvelopeTree(envelopes.map((e) => envelopeLeaf(e.payload)));
  const root = tree.root.toString('hex');
  const signature = sign(null, Buffer.from(envelopeRootText(root)), signer.signingKey.privateKey).toString('base64');
  return envelopes.map((e, i) => ({ ...e, signature, proof: { root, path: tree.paths[i]! } }));
}
const others = ['99999999-2222-4333-8444-555555555551', '99999999-2222-4333-8444-555555555552', '99999999-2222-4333-8444-555555555553'];

describe('envelope verification', () => {
  it('accepts a well-signed envelope for this device', () => {
    expect(check(base())).toEqual({ ok: true });
  });

  it('refuses a tampered script', () => {
    expect(check({ ...base(), script: 'rm -rf /' })).toMatchObject({ ok: false, reason: 'script_hash_mismatch' });
  });

  it('refuses tampered parameters, and a re-hashed script without a new signature', () => {
    const e = base();
    expect(check({ ...e, payload: { ...e.payload, parameters: { path: '/' } } })).toMatchObject({ ok: false, reason: 'bad_signature' });
    expect(check({ ...e, payload: { ...e.payload, timeoutSec: 3600 } })).toMatchObject({ ok: false, reason: 'bad_signature' });
  });

  it('refuses an envelope signed by another key, or naming another key', () => {
    const other = new FakeServer();
    const foreign = other.envelope(device, { script: 'echo hi' });
    expect(check({ ...foreign, keyId: server.keyId })).toMatchObject({ ok: false, reason: 'bad_signature' });
    expect(check(foreign)).toMatchObject({ ok: false, reason: 'unknown_key' });
    expect(check({ ...base(), signature: 'not base64 at all!' })).toMatchObject({ ok: false, reason: 'bad_signature' });
  });

  it('refuses an envelope for another device even when validly signed', () => {
    const e = server.envelope('99999999-2222-4333-8444-555555555555', { script: 'echo hi' });
    expect(check(e)).toMatchObject({ ok: false, reason: 'wrong_device' });
  });

  it('refuses an expired envelope', () => {
    const e = server.envelope(device, { script: 'echo hi', expiresInSec: -1 });
    expect(check(e)).toMatchObject({ ok: false, reason: 'expired' });
    const later = base();
    expect(check(later, ctx({ now: new Date(Date.parse(later.payload.expiresAt) + 1) }))).toMatchObject({ reason: 'expired' });
  });

  it('refuses a replayed execution id', () => {
    const e = base();
    expect(check(e, ctx({ seen: (id) => id === e.payload.executionId }))).toMatchObject({ ok: false, reason: 'replayed' });
  });

  it('refuses a script for another platform', () => {
    const e = server.envelope(device, { script: 'Get-Date', platform: 'windows', shell: 'powershell' });
    expect(check(e)).toMatchObject({ ok: false, reason: 'wrong_platform' });
  });

  it('verifies over the payload as received, so schema defaults cannot break signatures', () => {
    const e = server.envelope(device, { script: 'true', outputs: [{ name: 'x', type: 'int', description: '' }] });
    const wire = JSON.parse(JSON.stringify(e.payload));
    expect(verifyEnvelope(e, wire, ctx())).toEqual({ ok: true });
    expect(verifyEnvelope(e, { ...wire, outputs: [] }, ctx())).toMatchObject({ reason: 'bad_signature' });
  });

  describe('of a launch signed once (Merkle proof)', () => {
    it('accepts its own leaf at any position of the tree', () => {
      for (let at = 0; at < 4; at++) {
        const devices = [...others];
        devices.splice(at, 0, device);
        expect(check(launch(devices)[at]!)).toEqual({ ok: true });
      }
    });

    it('refuses a changed payload (a wrong leaf)', () => {
      const e = launch([device, ...others])[0]!;
      expect(check({ ...e, payload: { ...e.payload, parameters: { path: '/' } } })).toMatchObject({ ok: false, reason: 'bad_signature' });
      expect(check({ ...e, payload: { ...e.payload, timeoutSec: 3600 } })).toMatchObject({ ok: false, reason: 'bad_signature' });
    });

    it('refuses a wrong path: a changed sibling, a flipped side, a step left out or added', () => {
      const e = launch([device, ...others])[0]!;
      const [first, second] = e.proof!.path as [string, string];
      const flippedHash = `${first[0]}${Buffer.from(Buffer.from(first.slice(1), 'base64').map((b, i) => (i === 0 ? b ^ 1 : b))).toString('base64')}`;
      for (const path of [[flippedHash, second], [`L${first.slice(1)}`, second], [second], [first, second, first]])
        expect(check({ ...e, proof: { ...e.proof!, path } }), path.join()).toMatchObject({ ok: false, reason: 'bad_signature' });
    });

    it("refuses a swapped root: another launch's root, with or without that launch's signature", () => {
      const e = launch([device, ...others])[0]!;
      const other = launch([device, others[0]!])[0]!;
      expect(check({ ...e, proof: { ...e.proof!, root: other.proof!.root } })).toMatchObject({ ok: false, reason: 'bad_signature' });
      expect(check({ ...e, signature: other.signature, proof: { ...e.proof!, root: other.proof!.root } })).toMatchObject({ ok: false, reason: 'bad_signature' });
      expect(check({ ...e, signature: other.signature })).toMatchObject({ ok: false, reason: 'bad_signature' });
    });

    it("refuses another device's leaf: as sent to it, or readdressed to this device", () => {
      const [mine, theirs] = launch([device, others[0]!]) as [Envelope, Envelope];
      expect(check(theirs)).toMatchObject({ ok: false, reason: 'wrong_device' });
      expect(check({ ...theirs, payload: { ...theirs.payload, deviceId: device } })).toMatchObject({ ok: false, reason: 'bad_signature' });
      // this device's payload under the other leaf's path
      expect(check({ ...mine, proof: theirs.proof! })).toMatchObject({ ok: false, reason: 'bad_signature' });
    });

    it('refuses a root signed by another key, or naming another key', () => {
      const foreign = launch([device, ...others], new FakeServer())[0]!;
      expect(check({ ...foreign, keyId: server.keyId })).toMatchObject({ ok: false, reason: 'bad_signature' });
      expect(check(foreign)).toMatchObject({ ok: false, reason: 'unknown_key' });
    });

    it('refuses a direct payload signature presented as a root signature, and the reverse', () => {
      const e = launch([device, ...others])[0]!;
      const direct = base();
      expect(check({ ...direct, proof: e.proof! })).toMatchObject({ ok: false, reason: 'bad_signature' });
      expect(check({ ...e, proof: undefined })).toMatchObject({ ok: false, reason: 'bad_signature' });
    });

    it('with verdicts shared between virtual agents, still refuses what it refuses alone', () => {
      const rootVerdicts = new Map<string, boolean>();
      const shared = (e: Envelope) => check(e, ctx({ rootVerdicts }));
      const e = launch([device, ...others])[0]!;
      expect(shared(e)).toEqual({ ok: true });
      expect(rootVerdicts.size).toBe(1);
      // the verdict is kept by root and signature: a changed leaf or path leads elsewhere before it is looked up
      expect(shared({ ...e, payload: { ...e.payload, timeoutSec: 3600 } })).toMatchObject({ ok: false, reason: 'bad_signature' });
      expect(shared({ ...e, proof: { ...e.proof!, path: [...e.proof!.path].reverse() } })).toMatchObject({ ok: false, reason: 'bad_signature' });
      // a forged signature over the same root is checked for itself, and its verdict kept apart
      const forged = launch([device, ...others], new FakeServer())[0]!;
      expect(shared({ ...e, signature: forged.signature })).toMatchObject({ ok: false, reason: 'bad_signature' });
      expect(shared({ ...e, signature: forged.signature })).toMatchObject({ ok: false, reason: 'bad_signature' });
      expect([...rootVerdicts.values()].sort()).toEqual([false, true]);
      expect(shared(e)).toEqual({ ok: true });
    });
  });

  describe('with requirePublisherSignature', () => {
    const policy = ctx({ requirePublisherSignature: true, publisherKeys: [publisher.publicKey] });
    const script = 'echo signed';
    const publisherSig = (s: string, key = publisher.privateKey, version = 3, slug = 'test-action') => {
      const text = publisherSigningText({ actionSlug: slug, actionVersion: version, platform: currentPlatform(), scriptSha256: scriptSha256(s) });
      return formatPublisherSignature(version, sign(null, Buffer.from(text, 'utf8'), key).toString('base64'));
    };

    it('runs scripts signed by a pinned publisher', () => {
      const e = server.envelope(device, { script, publisherSignature: publisherSig(script) });
      expect(check(e, policy)).toEqual({ ok: true });
    });

    it('refuses unsigned scripts, even when the server signed the envelope', () => {
      expect(check(server.envelope(device, { script }), policy)).toMatchObject({ ok: false, reason: 'unsigned_script' });
    });

    it('refuses a publisher signature from an unpinned key, over another script, or of another action', () => {
      const stranger = generateKeyPairSync('ed25519').privateKey;
      const e1 = server.envelope(device, { script, publisherSignature: publisherSig(script, stranger) });
      expect(check(e1, policy)).toMatchObject({ ok: false, reason: 'bad_publisher_signature' });
      const e2 = server.envelope(device, { script, publisherSignature: publisherSig('echo other') });
      expect(check(e2, policy)).toMatchObject({ ok: false, reason: 'bad_publisher_signature' });
      const e3 = server.envelope(device, { script, publisherSignature: publisherSig(script, publisher.privateKey, 3, 'other-action') });
      expect(check(e3, policy)).toMatchObject({ ok: false, reason: 'bad_publisher_signature' });
    });

    it('refuses a signature moved to another version number', () => {
      const moved = publisherSig(script).replace(/^3:/, '4:');
      expect(check(server.envelope(device, { script, publisherSignature: moved }), policy)).toMatchObject({ ok: false, reason: 'bad_publisher_signature' });
      expect(check(server.envelope(device, { script, publisherSignature: 'no-version' }), policy)).toMatchObject({ ok: false, reason: 'bad_publisher_signature' });
    });
  });
});
