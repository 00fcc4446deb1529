/** The extension's content scripts, gzipped, against the 30 KB target (builds the Chrome extension when missing). */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { root } from './lib/backend';
import type { Figure } from './lib/report';

export function benchExtension(): Figure[] {
  const dir = join(root, 'dist/extension/chrome-mv3/content-scripts');
  if (!existsSync(dir) && spawnSync('npx', ['wxt', 'build'], { cwd: root, stdio: 'inherit' }).status !== 0) throw new Error('extension build failed');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.js'))
    .map((f) => {
      const kb = gzipSync(readFileSync(join(dir, f)), { level: 9 }).length / 1024;
      return { name: `Extension: content script ${f} (gzip)`, value: kb, unit: 'KB', target: '≤ 30 KB', ok: kb <= 30 };
    });
}
