import { generateKeyPairSync, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { releaseSigningText } from '@fixpoint/protocol';
import { checkRelease, type UpdateFrame } from './check';

const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const other = generateKeyPairSync('ed25519');

function frame(fields: Partial<UpdateFrame> = {}, key = privateKey): UpdateFrame {
  const base = { version: '0.2.0', os: 'linux', arch: 'x64', size: 10, sha256: 'a'.repeat(64), rollback: false, ...fields } as const;
  return {
    type: 'update', releaseId: '00000000-0000-4000-8000-000000000001', path: '/api/v1/agent-releases/x/binary',
    binding: { deviceId: '00000000-0000-4000-8000-000000000002', connection: 'n'.repeat(22), seq: 1, expiresAt: new Date().toISOString() },
    keyId: 'k', signature: 's',
    releaseSignature: sign(null, Buffer.from(releaseSigningText(base)), key).toString('base64'),
    ...base,
    ...fields,
  } as UpdateFrame;
}

const options = { updateKey: publicKey, version: '0.1.0', os: 'linux', arch: 'x64' };

describe('checkRelease', () => {
  it('accepts a release the pinned update key signed for this platform', () => {
    expect(checkRelease(frame(), options)).toEqual({ ok: true });
  });

  it('refuses what another key signed, what carries no signature, and any field changed after signing', () => {
    expect(checkRelease(frame({}, other.privateKey), options)).toMatchObject({ ok: false, reason: 'bad_signature' });
    expect(checkRelease({ ...frame(), releaseSignature: '' }, options)).toMatchObject({ ok: false, reason: 'unsigned' });
    expect(checkRelease({ ...frame(), size: 11 }, options)).toMatchObject({ ok: false, reason: 'bad_signature' });
    expect(checkRelease({ ...frame(), sha256: 'b'.repeat(64) }, options)).toMatchObject({ ok: false, reason: 'bad_signature' });
    expect(checkRelease({ ...frame(), version: '0.2.1' }, options)).toMatchObject({ ok: false, reason: 'bad_signature' });
  });

  it('refuses a downgrade unless signed as a rollback; a rollback flag added later breaks the signature', () => {
    expect(checkRelease(frame({ version: '0.0.9' }), options)).toMatchObject({ ok: false, reason: 'downgrade' });
    expect(checkRelease(frame({ version: '0.1.0-rc.1' }), options)).toMatchObject({ ok: false, reason: 'downgrade' });
    expect(checkRelease(frame({ version: '0.0.9', rollback: true }), options)).toEqual({ ok: true });
    expect(checkRelease({ ...frame({ version: '0.0.9' }), rollback: true }, options)).toMatchObject({ ok: false, reason: 'bad_signature' });
  });

  it('refuses another platform, and everything when no update key was pinned', () => {
    expect(checkRelease(frame({ arch: 'arm64' }), options)).toMatchObject({ ok: false, reason: 'wrong_platform' });
    expect(checkRelease(frame(), { ...options, updateKey: null })).toMatchObject({ ok: false, reason: 'no_update_key' });
  });
});
