/**
 * @module The agent and tray bundles that end-to-end tests run, built once per test run instead of once per file. The
 * run's global setup (`bundles.global.ts`) names a folder in FIXPOINT_TEST_BUNDLE_DIR; the first file that needs a
 * bundle builds it there while the others wait, and every later file takes it as it is. Outside a run (the benchmarks)
 * each call builds into a temp folder of its own.
 */
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const bundleDirEnv = 'FIXPOINT_TEST_BUNDLE_DIR';

const pause = new Int32Array(new SharedArrayBuffer(4));

/**
 * The folder `name` built by `build` (given the folder to build into, world-readable: the tray runs as another account),
 * built at most once per test run.
 */
export function bundleOncePerRun(name: string, build: (dir: string) => void, timeoutMs = 120_000): string {
  const runDir = process.env[bundleDirEnv];
  if (!runDir) {
    const dir = mkdtempSync(join(tmpdir(), `fixpoint-${name}-bundle-`));
    chmodSync(dir, 0o755);
    build(dir);
    return dir;
  }
  const dir = join(runDir, name);
  const built = join(runDir, `${name}.built`);
  const end = Date.now() + timeoutMs;
  while (!existsSync(built)) {
    try {
      mkdirSync(dir); // whoever creates the folder builds; the others wait for the mark
    } catch {
      if (Date.now() > end) throw new Error(`the ${name} bundle was not built within ${timeoutMs} ms`);
      Atomics.wait(pause, 0, 0, 100);
      continue;
    }
    try {
      chmodSync(dir, 0o755);
      build(dir);
      writeFileSync(built, '');
    } catch (error) {
      rmSync(dir, { recursive: true, force: true }); // the next caller tries again
      throw error;
    }
  }
  return dir;
}
