import { describe, expect, it } from 'vitest';
import { formatPublisherSignature, parsePublisherSignature, publisherSigningText } from './publisher';

// A fixed vector, so other implementations of the agent can check theirs: Ed25519 is deterministic, and this
// signature was made with the private key whose 32-byte seed is 0x07 repeated.
const vector = {
  publicKeyDer: 'MCowBQYDK2VwAyEA6kpsY+KcUgq+9VB7Ey7F+ZVHdq6+vnuSQh7qaRRG0iw=',
  signed: { actionSlug: 'clear-dns-cache', actionVersion: 4, platform: 'linux' as const, scriptSha256: 'b7ba968f777902c4b8840eaa4ea0dd20194d1a2fbab1902fdd658ce81404a868' },
  text: 'fixpoint-publisher-v1\nslug:clear-dns-cache\nversion:4\nplatform:linux\nsha256:b7ba968f777902c4b8840eaa4ea0dd20194d1a2fbab1902fdd658ce81404a868\n',
  signature: 'R+Ksq888qqNMyJ5B1TgrP03ViXpdzm60tb8c1H2iGNcYlnYNGDWDU+10L8wf3KOugqW8fQXvLk7/xzpHlcK8Bw==',
};
// WebCrypto, so the test runs where protocol runs (browsers included) and shows the text is all a verifier needs.
const bytes = (b64: string) => Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
const key = crypto.subtle.importKey('spki', bytes(vector.publicKeyDer), { name: 'Ed25519' }, false, ['verify']);
const holds = async (text: string, signature: string) =>
  crypto.subtle.verify({ name: 'Ed25519' }, await key, bytes(signature), new TextEncoder().encode(text));

describe('publisher signatures', () => {
  it('sign the canonical text of slug, version, platform and script hash (test vector)', async () => {
    expect(publisherSigningText(vector.signed)).toBe(vector.text);
    expect(await holds(vector.text, vector.signature)).toBe(true);
  });

  it('do not hold for another version, platform or script', async () => {
    expect(await holds(publisherSigningText({ ...vector.signed, actionVersion: 5 }), vector.signature)).toBe(false);
    expect(await holds(publisherSigningText({ ...vector.signed, platform: 'macos' }), vector.signature)).toBe(false);
    expect(await holds(publisherSigningText({ ...vector.signed, scriptSha256: '0'.repeat(64) }), vector.signature)).toBe(false);
  });

  it('travel as <version>:<base64> in the envelope', () => {
    const field = formatPublisherSignature(4, vector.signature);
    expect(field).toBe(`4:${vector.signature}`);
    expect(parsePublisherSignature(field)).toEqual({ actionVersion: 4, signature: vector.signature });
    expect(parsePublisherSignature(vector.signature)).toBeNull();
    expect(parsePublisherSignature(`0:${vector.signature}`)).toBeNull();
  });
});
