/** @module Operating system name and version: /etc/os-release, sw_vers, or the Windows build. */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { currentPlatform } from '../exec/platform';
import { parseKeyValues, execText } from '../exec/console-user';

export interface OsFact {
  platform: 'windows' | 'macos' | 'linux';
  name: string;
  version: string;
  kernel: string;
}

/** Parses /etc/os-release (shell-style KEY="value" lines). */
export function parseOsRelease(text: string): { name: string; version: string } {
  const kv = parseKeyValues(text);
  const unquote = (v: string | undefined) => (v ?? '').replace(/^"(.*)"$/, '$1');
  return { name: unquote(kv.NAME) || 'Linux', version: unquote(kv.VERSION_ID) || unquote(kv.VERSION) };
}

export async function collectOs(): Promise<OsFact> {
  const platform = currentPlatform();
  const kernel = os.release();
  if (platform === 'linux') {
    let text = '';
    try {
      text = readFileSync('/etc/os-release', 'utf8');
    } catch {
      // minimal systems
    }
    return { platform, ...parseOsRelease(text), kernel };
  }
  if (platform === 'macos') {
    const kv: Record<string, string> = {};
    for (const line of ((await execText('/usr/bin/sw_vers', [])) ?? '').split('\n')) {
      const [k, v] = line.split(':');
      if (k && v) kv[k.trim()] = v.trim();
    }
    return { platform, name: kv.ProductName ?? 'macOS', version: kv.ProductVersion ?? '', kernel };
  }
  return { platform, name: os.version() || 'Windows', version: kernel, kernel };
}

/** The version string enrollment reports (`osVersion`). */
export async function osVersionString(): Promise<string> {
  const info = await collectOs();
  return `${info.name} ${info.version}`.trim().slice(0, 200);
}
