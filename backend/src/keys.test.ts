import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadOrCreateSigningKey } from './keys';

describe('the envelope signing key', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fixpoint-keys-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is created once, private to its owner, and found again', () => {
    const key = loadOrCreateSigningKey(dir);
    expect(statSync(join(dir, 'keys', 'envelope-ed25519.pem')).mode & 0o777).toBe(0o600);
    const again = loadOrCreateSigningKey(dir);
    expect(again.keyId).toBe(key.keyId);
    expect(again.verify('hello', key.sign('hello'))).toBe(true);
  });

  it('signs a large batch across threads with the same signatures, in the same order, as one at a time', async () => {
    const key = loadOrCreateSigningKey(dir);
    const messages = Array.from({ length: 3000 }, (_, i) => JSON.stringify({ executionId: i, device: `d${i % 7}` }));
    const many = await key.signMany(messages);
    // Ed25519 signatures are deterministic, so each must equal the one signed here.
    expect(many).toEqual(messages.map((m) => key.sign(m)));
    expect(many.every((s, i) => key.verify(messages[i]!, s))).toBe(true);
    expect(await key.signMany(messages.slice(0, 3))).toEqual(messages.slice(0, 3).map((m) => key.sign(m)));
    expect(await key.signMany([])).toEqual([]);
  });
});
