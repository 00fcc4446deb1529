// Bundles the agent into one self-contained file, dist/fixpoint-agent.mjs: the workspace protocol package, ws and the
// script helper assets are all inside, so a device needs only node and this file. Beside it go winsw.exe and
// winsw.exe.config, the Windows service host that `fixpoint-agent install` registers (src/commands/windows-service.ts).
//   node build.mjs [--outfile PATH]
import { chmodSync, copyFileSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';
import { zodWithoutLocales } from '../scripts/esbuild-zod-without-locales.mjs';

const here = new URL('.', import.meta.url).pathname;
const { values } = parseArgs({ options: { outfile: { type: 'string' } } });
const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));
const asset = (name) => readFileSync(new URL(`./assets/${name}`, import.meta.url), 'utf8');
const outfile = values.outfile ?? 'dist/fixpoint-agent.mjs';

// `fixpoint campaign`, compiled on its own: the agent writes it into every run directory (options as in exec/assets.ts).
const cli = await build({
  entryPoints: ['src/control/campaign-cli.ts'],
  absWorkingDir: here,
  bundle: true,
  platform: 'node',
  target: 'node18',
  format: 'esm',
  legalComments: 'none',
  write: false,
  logLevel: 'warning',
});
const campaignCli = cli.outputFiles[0].text;


await build({
  entryPoints: ['src/main.ts'],
  absWorkingDir: here,
  outfile,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  // ws loads these optional native accelerators if present; the agent does without them.
  external: ['bufferutil', 'utf-8-validate'],
  // ws is CommonJS and calls require(); give the ESM bundle one.
  banner: { js: "import { createRequire as __fixpointCreateRequire } from 'node:module';\nconst require = __fixpointCreateRequire(import.meta.url);" },
  define: {
    __FIXPOINT_AGENT_VERSION__: JSON.stringify(pkg.version),
    __FIXPOINT_ASSETS__: JSON.stringify({
      'fixpoint.sh': asset('fixpoint.sh'),
      'Fixpoint.psm1': asset('Fixpoint.psm1'),
      'fixpoint-campaign.mjs': campaignCli,
    }),
  },
  plugins: [zodWithoutLocales],
  // V8 keeps the whole source in memory, as two bytes a character once a single one is not Latin-1 (a comment
  // suffices): without comments and whitespace it stays ASCII and a third of the size. Names stay readable.
  minifyWhitespace: true,
  minifySyntax: true,
  legalComments: 'none',
  logLevel: 'warning',
});
chmodSync(new URL(outfile, `file://${here}`), 0o755);

// WinSW 1.17 (MIT), as the node-windows package ships it; the .config lets it run on .NET 4 as well as .NET 2.
const winsw = join(dirname(createRequire(import.meta.url).resolve('node-windows/package.json')), 'bin', 'winsw');
for (const name of ['winsw.exe', 'winsw.exe.config']) copyFileSync(join(winsw, name), join(resolve(here, dirname(outfile)), name));
