/**
 * @module The script helpers shipped in `agent/assets`, and the `fixpoint campaign` command. The bundle carries
 * them inline (build.mjs defines `__FIXPOINT_ASSETS__`), so one file is all a device needs; from sources they are
 * read from disk, and the command is compiled from `src/control/campaign-entry.ts` on first use.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type * as Esbuild from 'esbuild';

declare const __FIXPOINT_ASSETS__: Record<string, string> | undefined;

export type AssetName = 'fixpoint.sh' | 'Fixpoint.psm1' | 'fixpoint-campaign.mjs';

const cache = new Map<AssetName, string>();

/** How build.mjs and the from-source path both compile the campaign command: one self-contained ESM file. */
export const campaignCliBuild = { bundle: true, platform: 'node', target: 'node18', format: 'esm', legalComments: 'none', write: false } as const;

function compileCampaignCli(): string {
  // only reached when running from sources, where esbuild (a dev dependency) is installed
  const name = 'esbuild';
  const esbuild = createRequire(import.meta.url)(name) as typeof Esbuild;
  const result = esbuild.buildSync({ ...campaignCliBuild, entryPoints: [fileURLToPath(new URL('../control/campaign-entry.ts', import.meta.url))] });
  return result.outputFiles[0]!.text;
}

/** The text of one helper asset. */
export function readAsset(name: AssetName): string {
  if (typeof __FIXPOINT_ASSETS__ !== 'undefined' && __FIXPOINT_ASSETS__[name] !== undefined) return __FIXPOINT_ASSETS__[name]!;
  let text = cache.get(name);
  if (text === undefined) {
    text = name === 'fixpoint-campaign.mjs' ? compileCampaignCli() : readFileSync(new URL(`../../assets/${name}`, import.meta.url), 'utf8');
    cache.set(name, text);
  }
  return text;
}
