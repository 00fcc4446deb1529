// What both tray builds share (build.mjs: the node bundle; agent/sea/build-sea.mjs: the single-file executables): the
// esbuild options of the tray bundle, with the prompt page's script and the icons inlined, and systray2's helpers.
import { cpSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { build } from 'esbuild';
import { buildCommit } from '../agent/bundle-options.mjs';
import { zodWithoutLocales } from '../scripts/esbuild-zod-without-locales.mjs';

export const trayDir = new URL('.', import.meta.url).pathname;
const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));
const icon = (ext) => readFileSync(new URL(`./assets/icon.${ext}`, import.meta.url)).toString('base64');

/** systray2's helper of each platform, as it names them: `traybin/<name>` beside the bundle or the executable. */
const trayHelpers = { linux: 'tray_linux_release', darwin: 'tray_darwin_release', win: 'tray_windows_release.exe' };

/** The prompt page's script (browser), with the options of src/page/source.ts. */
async function pageScript() {
  const page = await build({
    entryPoints: ['src/page/prompt-page.ts'],
    absWorkingDir: trayDir,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'chrome110',
    minify: true,
    legalComments: 'none',
    write: false,
    plugins: [zodWithoutLocales],
    logLevel: 'warning',
  });
  return page.outputFiles[0].text;
}

/**
 * The options of the tray bundle. `esm` is the node bundle; `cjs` the entry of a single-file executable, where
 * `require`, `__filename` and `__dirname` are node's own (the executable's path and folder: systray2 finds its helper
 * in `traybin/` beside it) and `import.meta.url` becomes the executable's file URL.
 */
export async function trayBundleOptions({ format }) {
  const esm = format === 'esm';
  return {
    entryPoints: ['src/main.ts'],
    absWorkingDir: trayDir,
    bundle: true,
    platform: 'node',
    target: esm ? 'node20' : 'node22',
    format,
    // systray2 and its dependencies are CommonJS and call require(); give the ESM bundle one.
    // systray2 also looks for its binaries next to __dirname.
    banner: {
      js: esm
        ? [
            "import { createRequire as __fixpointCreateRequire } from 'node:module';",
            "import { fileURLToPath as __fixpointFileUrlToPath } from 'node:url';",
            'const require = __fixpointCreateRequire(import.meta.url);',
            'const __filename = __fixpointFileUrlToPath(import.meta.url);',
            "const __dirname = __filename.slice(0, Math.max(__filename.lastIndexOf('/'), __filename.lastIndexOf('\\\\')));",
          ].join('\n')
        : "const __fixpointImportMetaUrl = require('node:url').pathToFileURL(__filename).href;",
    },
    define: {
      ...(esm ? {} : { 'import.meta.url': '__fixpointImportMetaUrl' }),
      __FIXPOINT_TRAY_VERSION__: JSON.stringify(pkg.version),
      __FIXPOINT_COMMIT__: JSON.stringify(buildCommit()),
      __FIXPOINT_TRAY_PAGE__: JSON.stringify(await pageScript()),
      __FIXPOINT_TRAY_ICONS__: JSON.stringify({ png: icon('png'), ico: icon('ico') }),
    },
    plugins: [zodWithoutLocales],
    legalComments: 'none',
    logLevel: 'warning',
  };
}

/** Copies systray2's helpers (all of them, or those of `platforms`: linux, darwin, win) into `<dir>/traybin/`. */
export function copyTrayHelpers(dir, platforms = Object.keys(trayHelpers)) {
  const from = join(dirname(createRequire(import.meta.url).resolve('systray2/package.json')), 'traybin');
  for (const platform of platforms) cpSync(join(from, trayHelpers[platform]), join(dir, 'traybin', trayHelpers[platform]));
}
