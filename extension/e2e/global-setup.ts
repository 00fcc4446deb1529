/** @module Builds the test variant of the extension (`wxt build --mode e2e` → dist/extension/chrome-mv3-e2e) before the browser tests. */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));

export default function setup(): void {
  // Always rebuilt: it takes a few seconds, and a stale build would test yesterday's extension.
  execFileSync(process.execPath, ['node_modules/wxt/bin/wxt.mjs', 'build', '--mode', 'e2e'], { cwd: root, stdio: 'ignore' });
}
