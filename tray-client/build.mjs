// Bundles the tray client into dist/fixpoint-tray.mjs (node), with the prompt page's script (browser) and the icons
// inlined, and systray2's helper binaries copied to dist/traybin.
//   node build.mjs [--outdir DIR]
import { chmodSync, cpSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { build } from 'esbuild';
import { zodWithoutLocales } from '../scripts/esbuild-zod-without-locales.mjs';

const here = new URL('.', import.meta.url).pathname;
const { values } = parseArgs({ options: { outdir: { type: 'string' } } });
const outdir = values.outdir ?? join(here, 'dist');
const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));
const icon = (ext) => readFileSync(new URL(`./assets/icon.${ext}`, import.meta.url)).toString('base64');


// the page script, with the options of src/page/source.ts
const page = await build({
  entryPoints: ['src/page/prompt-page.ts'],
  absWorkingDir: here,
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

await build({
  entryPoints: ['src/main.ts'],
  absWorkingDir: here,
  outfile: join(outdir, 'fixpoint-tray.mjs'),
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  // systray2 and its dependencies are CommonJS and call require(); give the ESM bundle one.
  // systray2 also looks for its binaries next to __dirname.
  banner: {
    js: [
      "import { createRequire as __fixpointCreateRequire } from 'node:module';",
      "import { fileURLToPath as __fixpointFileUrlToPath } from 'node:url';",
      'const require = __fixpointCreateRequire(import.meta.url);',
      'const __filename = __fixpointFileUrlToPath(import.meta.url);',
      "const __dirname = __filename.slice(0, Math.max(__filename.lastIndexOf('/'), __filename.lastIndexOf('\\\\')));",
    ].join('\n'),
  },
  define: {
    __FIXPOINT_TRAY_VERSION__: JSON.stringify(pkg.version),
    __FIXPOINT_TRAY_PAGE__: JSON.stringify(page.outputFiles[0].text),
    __FIXPOINT_TRAY_ICONS__: JSON.stringify({ png: icon('png'), ico: icon('ico') }),
  },
  plugins: [zodWithoutLocales],
  legalComments: 'none',
  logLevel: 'warning',
});
const systray = dirname(createRequire(import.meta.url).resolve('systray2/package.json'));
cpSync(join(systray, 'traybin'), join(outdir, 'traybin'), { recursive: true });
chmodSync(join(outdir, 'fixpoint-tray.mjs'), 0o755);
