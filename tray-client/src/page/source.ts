/**
 * @module The prompt page's script: inlined by build.mjs into the bundle, compiled from `prompt-page.ts` on first
 * use when running from sources.
 */
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type * as Esbuild from 'esbuild';

declare const __FIXPOINT_TRAY_PAGE__: string | undefined;

/** How build.mjs and the from-source path both compile the page: one ES module for current browsers. */
export const pageBuild = { bundle: true, format: 'esm', platform: 'browser', target: 'chrome110', minify: true, legalComments: 'none', write: false } as const;

let cached: string | null = null;

export function pageScript(): string {
  if (typeof __FIXPOINT_TRAY_PAGE__ !== 'undefined') return __FIXPOINT_TRAY_PAGE__;
  if (cached === null) {
    const name = 'esbuild';
    const esbuild = createRequire(import.meta.url)(name) as typeof Esbuild;
    cached = esbuild.buildSync({ ...pageBuild, entryPoints: [fileURLToPath(new URL('./prompt-page.ts', import.meta.url))] }).outputFiles[0]!.text;
  }
  return cached;
}
