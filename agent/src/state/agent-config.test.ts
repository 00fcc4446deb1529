import { generateKeyPairSync } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { agentPaths } from '../config';
import { tempDir } from '../testing/helpers';
import { loadAgentConfig } from './agent-config';

const publisher = generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'der' }).toString('base64');

describe('local policy (config.json)', () => {
  it('defaults to no publisher requirement and two concurrent runs', () => {
    expect(loadAgentConfig(agentPaths(tempDir()))).toEqual({ requirePublisherSignature: false, publisherKeys: [], maxConcurrency: 2, updateReconnectSec: 300 });
  });

  it('loads pinned publisher keys', () => {
    const paths = agentPaths(tempDir());
    writeFileSync(paths.config, JSON.stringify({ requirePublisherSignature: true, publisherKeys: [publisher], maxConcurrency: 4 }));
    const config = loadAgentConfig(paths);
    expect(config.requirePublisherSignature).toBe(true);
    expect(config.publisherKeys[0]!.asymmetricKeyType).toBe('ed25519');
    expect(config.maxConcurrency).toBe(4);
  });

  it('fails closed on anything it cannot honour', () => {
    const paths = agentPaths(tempDir());
    for (const bad of ['{', '{"requirePublisherSignature":"yes"}', '{"requirePublisherSignature":true}', '{"unknownOption":1}', '{"maxConcurrency":0}']) {
      writeFileSync(paths.config, bad);
      expect(() => loadAgentConfig(paths)).toThrow();
    }
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
    writeFileSync(paths.config, JSON.stringify({ publisherKeys: [rsa.slice(0, 200)] }));
    expect(() => loadAgentConfig(paths)).toThrow();
  });
});
