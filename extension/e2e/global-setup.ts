/**
 * @module Builds the test variant of the extension (`wxt build --mode e2e` → dist/extension/chrome-mv3-e2e) before the
 * browser tests, unless the last one was built from the same sources: a content hash of everything that goes into it,
 * written beside the build (backend/src/testing/prepared.ts), so an edit anywhere in those inputs always rebuilds. The
 * build runs in a child process, side by side with the run's other setups.
 */
import { join } from 'node:path';
import { buildAndStamp, forget, inputsHash, once, repoRoot, run, upToDate } from '../../backend/src/testing/prepared';

const built = join(repoRoot, 'dist', 'extension', 'chrome-mv3-e2e');
const stamp = `${built}.inputs-sha256`;
// extension/ holds the entrypoints, public files and modules; WXT reads the root config and package.json.
const inputs = ['extension', 'launcher/src', 'launcher/package.json', 'protocol/src', 'protocol/package.json', 'tray-client/src', 'wxt.config.ts', 'package.json', 'package-lock.json', 'tsconfig.base.json'];

export function prepare(): Promise<void> {
  return once('extension-e2e-build', async () => {
    const hash = inputsHash(inputs.map((p) => join(repoRoot, p)));
    if (upToDate(stamp, hash, [join(built, 'manifest.json')])) return;
    await buildAndStamp(stamp, hash, () => run(process.execPath, [join(repoRoot, 'node_modules', 'wxt', 'bin', 'wxt.mjs'), 'build', '--mode', 'e2e'], { cwd: repoRoot }));
  });
}

export default async function setup(): Promise<() => void> {
  await prepare();
  return () => forget('extension-e2e-build'); // a rerun in watch mode looks at the sources again
}
