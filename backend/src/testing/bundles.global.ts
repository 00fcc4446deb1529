/**
 * @module Vitest global setup of the projects that run the agent or tray bundle: a folder for this run's bundles
 * (`bundles.ts`), removed when the run ends. Test processes find it through FIXPOINT_TEST_BUNDLE_DIR, which workers
 * inherit from this process; nothing is built unless a file asks for a bundle.
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleDirEnv } from './bundles';

// Several projects load this file, each as a module of its own; the one folder is shared through the global object.
interface Shared {
  dir: string;
  users: number;
}
const holder = globalThis as { fixpointBundleDir?: Shared };

export default function setup(): () => void {
  const shared = (holder.fixpointBundleDir ??= { users: 0, dir: mkdtempSync(join(tmpdir(), 'fixpoint-test-bundles-')) });
  chmodSync(shared.dir, 0o755);
  shared.users++;
  process.env[bundleDirEnv] = shared.dir;
  return () => {
    if (--shared.users > 0) return;
    rmSync(shared.dir, { recursive: true, force: true });
    delete process.env[bundleDirEnv];
    delete holder.fixpointBundleDir;
  };
}
