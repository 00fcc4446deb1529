/**
 * @module Builds the console for the browser tests (into backend/dist/console, as `npm run build` does) unless the last
 * build was made from the same sources: a content hash of its inputs, written beside the build
 * (backend/src/testing/prepared.ts). The build runs in a child process, side by side with the run's other setups.
 */
import { join } from 'node:path';
import { buildAndStamp, forget, inputsHash, once, repoRoot, run, upToDate } from '../../backend/src/testing/prepared';

const built = join(repoRoot, 'backend', 'dist', 'console');
const stamp = `${built}.inputs-sha256`;
// The console also bundles the launcher panel and the tray client's campaign components; the lock file pins the rest.
const inputs = ['console/src', 'console/public', 'console/index.html', 'console/vite.config.ts', 'console/package.json', 'protocol/src', 'protocol/package.json', 'launcher/src', 'launcher/package.json', 'tray-client/src/components', 'package-lock.json'];

export function prepare(): Promise<void> {
  return once('console-build', async () => {
    const hash = inputsHash(inputs.map((p) => join(repoRoot, p)));
    if (upToDate(stamp, hash, [join(built, 'index.html')])) return;
    await buildAndStamp(stamp, hash, () => run(process.execPath, [join(repoRoot, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', 'vite.config.ts'], { cwd: join(repoRoot, 'console') }));
  });
}

export default async function setup(): Promise<() => void> {
  await prepare();
  return () => forget('console-build'); // a rerun in watch mode looks at the sources again
}
