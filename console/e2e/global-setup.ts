/** @module Builds the console before the browser tests when its sources are newer than the build. */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const consoleDir = fileURLToPath(new URL('..', import.meta.url));
const built = join(consoleDir, '..', 'backend', 'dist', 'console', 'index.html');

function newest(path: string): number {
  if (!existsSync(path)) return 0;
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  return Math.max(s.mtimeMs, ...readdirSync(path).map((f) => newest(join(path, f))));
}

export default async function setup(): Promise<void> {
  // The console also bundles the launcher panel and the tray client's campaign components.
  const sources = ['src', 'public', 'index.html', 'vite.config.ts', '../protocol/src', '../launcher/src', '../tray-client/src/components'].map((p) => newest(join(consoleDir, p)));
  if (newest(built) >= Math.max(...sources)) return;
  const { build } = await import('vite');
  await build({ configFile: join(consoleDir, 'vite.config.ts') });
}
