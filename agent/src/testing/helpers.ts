/** @module Shared helpers for agent tests: temp state dirs, enrolled identities and agents with test timings. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { Agent, type AgentOptions } from '../agent';
import { agentPaths, type AgentPaths } from '../config';
import { posixPlatform } from '../exec/platform-posix';
import { generateDeviceKeys, saveIdentity, type Identity } from '../state/identity';
import type { FakeServer } from './fake-server';

const created: string[] = [];
// Registered on the importing test file's root suite.
afterAll(() => {
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A fresh directory under the system temp dir, removed when the test process exits. */
export function tempDir(prefix = 'fixpoint-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  created.push(dir);
  return dir;
}

/** Enrolls a device with the fake server without HTTP, and writes its identity into a fresh state dir. */
export function enrolledState(server: FakeServer, stateDir = join(tempDir(), 'state')): { paths: AgentPaths; identity: Identity } {
  const keys = generateDeviceKeys();
  const deviceId = server.addDevice(keys.publicKeyDer);
  const identity: Identity = {
    deviceId,
    server: server.url,
    privateKey: keys.privateKeyPem,
    serverPublicKey: server.publicKeyDer,
    serverKeyId: server.keyId,
    enrolledAt: new Date().toISOString(),
  };
  const paths = agentPaths(stateDir);
  saveIdentity(paths, identity);
  return { paths, identity };
}

/** Starts an agent on an enrolled state with test timings: quick reconnects, no facts, no publisher policy. */
export function startTestAgent(
  state: { paths: AgentPaths; identity: Identity },
  options: Partial<AgentOptions> & { maxConcurrency?: number } = {},
): Agent {
  const { maxConcurrency = 2, ...extra } = options;
  const agent = new Agent({
    ...state,
    config: { requirePublisherSignature: false, publisherKeys: [], maxConcurrency },
    platform: posixPlatform,
    channel: { backoff: { baseMs: 50, capMs: 300 }, keepaliveMs: 2000 },
    collectFacts: async () => ({}),
    ...extra,
  });
  agent.start();
  return agent;
}
