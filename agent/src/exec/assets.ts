/**
 * @module The script helpers shipped in `agent/assets`. The bundle carries them inline (build.mjs defines
 * `__FIXPOINT_ASSETS__`), so one file is all a device needs; from sources they are read from disk.
 */
import { readFileSync } from 'node:fs';

declare const __FIXPOINT_ASSETS__: Record<string, string> | undefined;

export type AssetName = 'fixpoint.sh' | 'Fixpoint.psm1';

const cache = new Map<AssetName, string>();

/** The text of one helper asset. */
export function readAsset(name: AssetName): string {
  if (typeof __FIXPOINT_ASSETS__ !== 'undefined' && __FIXPOINT_ASSETS__[name] !== undefined) return __FIXPOINT_ASSETS__[name]!;
  let text = cache.get(name);
  if (text === undefined) {
    text = readFileSync(new URL(`../../assets/${name}`, import.meta.url), 'utf8');
    cache.set(name, text);
  }
  return text;
}
