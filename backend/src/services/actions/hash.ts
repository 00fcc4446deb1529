import { createHash } from 'node:crypto';
import type { Scripts } from '@fixpoint/protocol';

/** platform → hex SHA-256 of the script text (UTF-8). Agents check the script they run against this. */
export function hashScripts(scripts: Scripts): Record<string, string> {
  const hashes: Record<string, string> = {};
  for (const [platform, script] of Object.entries(scripts)) {
    if (script) hashes[platform] = createHash('sha256').update(script.source, 'utf8').digest('hex');
  }
  return hashes;
}
