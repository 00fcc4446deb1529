/** @module A PATH without node: what a device that got only the single-file agent looks like to it and its scripts. */
import { existsSync, mkdirSync, readdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';

const nodeTools = /^(node|nodejs|npm|npx|corepack)(\..*)?$/;

/** A directory of links to every program of /usr/bin and /bin except node and its tools; returns it for PATH. */
export function noNodePath(dir: string): string {
  const bin = join(dir, 'bin');
  mkdirSync(bin, { recursive: true });
  const linked = new Set<string>();
  for (const source of ['/usr/bin', '/bin']) {
    if (!existsSync(source)) continue;
    for (const name of readdirSync(source)) {
      if (nodeTools.test(name) || linked.has(name)) continue;
      symlinkSync(join(source, name), join(bin, name));
      linked.add(name);
    }
  }
  return bin;
}
