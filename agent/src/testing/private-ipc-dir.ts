/**
 * @module Test setup: each test file gets its own socket base (`FIXPOINT_AGENT_IPC_DIR`), so files running side by
 * side, and other checkouts on the same machine, never share `/run/fixpoint`. Its parent is 0711 like `/run`, so
 * test accounts can reach their sockets.
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

const previous = process.env.FIXPOINT_AGENT_IPC_DIR;
const root = mkdtempSync(join(tmpdir(), 'fixpoint-ipc-'));
chmodSync(root, 0o711);
process.env.FIXPOINT_AGENT_IPC_DIR = join(root, 'ipc');

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
  if (previous === undefined) delete process.env.FIXPOINT_AGENT_IPC_DIR;
  else process.env.FIXPOINT_AGENT_IPC_DIR = previous;
});
