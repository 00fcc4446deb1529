/** @module Shared helpers for agent tests: temp state dirs and enrolled identities. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { agentPaths, type AgentPaths } from '../config';
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
