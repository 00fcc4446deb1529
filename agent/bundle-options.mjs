// What both agent builds share (build.mjs: the node bundle; sea/build-sea.mjs: the single-file executables): the
// esbuild options of the agent bundle, with the `fixpoint campaign` command compiled on its own and the build's identity.
import { execFileSync } from 'node:child_process';
import { copyFileSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { build } from 'esbuild';
import { lazySchemas } from '../scripts/esbuild-lazy-schemas.mjs';
import { zodWithoutLocales } from '../scripts/esbuild-zod-without-locales.mjs';

export const agentDir = new URL('.', import.meta.url).pathname;
const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));
const asset = (name) => readFileSync(new URL(`./assets/${name}`, import.meta.url), 'utf8');
/** The node and V8 flags the agent runs with (src/node-flags.json; commands/service-spec.ts says why each). */
export const AGENT_NODE_FLAGS = JSON.parse(readFileSync(new URL('./src/node-flags.json', import.meta.url), 'utf8'));

/** `git rev-parse --short HEAD` of the sources, `unknown` outside a git checkout. */
export function buildCommit() {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: agentDir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() || 'unknown';
  } catch {
    return 'unknown';
  }
}

/** `fixpoint campaign`, compiled on its own: the agent writes it into every run directory (options as in exec/assets.ts). */
async function campaignCli() {
  const cli = await build({
    entryPoints: ['src/control/campaign-entry.ts'],
    absWorkingDir: agentDir,
    bundle: true,
    platform: 'node',
    target: 'node18',
    format: 'esm',
    legalComments: 'none',
    write: false,
    logLevel: 'warning',
  });
  return cli.outputFiles[0].text;
}

/**
 * The options of the agent bundle. `esm` is the node bundle; `cjs` the entry of a single-file executable, which node
 * runs as CommonJS whose `require` reaches built-in modules only: everything else is inside, and `import.meta.url`
 * (read only from sources, see config.ts and exec/assets.ts) becomes the executable's own file URL.
 */
export async function agentBundleOptions({ format, singleExecutable = false, agentVersion = pkg.version }) {
  const esm = format === 'esm';
  return {
    entryPoints: ['src/main.ts'],
    absWorkingDir: agentDir,
    bundle: true,
    platform: 'node',
    target: esm ? 'node20' : 'node22',
    format,
    // ws loads these optional native accelerators if present (in a try); the agent does without them.
    external: ['bufferutil', 'utf-8-validate'],
    // ws is CommonJS and calls require(); give the ESM bundle one.
    banner: {
      js: esm
        ? "import { createRequire as __fixpointCreateRequire } from 'node:module';\nconst require = __fixpointCreateRequire(import.meta.url);"
        : "const __fixpointImportMetaUrl = require('node:url').pathToFileURL(__filename).href;",
    },
    define: {
      ...(esm ? {} : { 'import.meta.url': '__fixpointImportMetaUrl' }),
      __FIXPOINT_AGENT_VERSION__: JSON.stringify(agentVersion),
      __FIXPOINT_COMMIT__: JSON.stringify(buildCommit()),
      __FIXPOINT_SEA__: JSON.stringify(singleExecutable),
      __FIXPOINT_ASSETS__: JSON.stringify({
        'fixpoint.sh': asset('fixpoint.sh'),
        'Fixpoint.psm1': asset('Fixpoint.psm1'),
        'fixpoint-campaign.mjs': await campaignCli(),
      }),
    },
    // the protocol's schemas are built on first use: the idle agent needs few of them
    plugins: [zodWithoutLocales, lazySchemas],
    // V8 keeps the whole source in memory, as two bytes a character once a single one is not Latin-1 (a comment
    // suffices): without comments and whitespace it stays ASCII and a third of the size. Names stay readable.
    minifyWhitespace: true,
    minifySyntax: true,
    legalComments: 'none',
    logLevel: 'warning',
  };
}

/** WinSW 1.17 (MIT), as the node-windows package ships it; the .config lets it run on .NET 4 as well as .NET 2. */
export function copyServiceHost(dir) {
  const winsw = join(dirname(createRequire(import.meta.url).resolve('node-windows/package.json')), 'bin', 'winsw');
  for (const name of ['winsw.exe', 'winsw.exe.config']) copyFileSync(join(winsw, name), join(dir, name));
}
